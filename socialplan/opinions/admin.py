from typing import Any

from django.contrib import admin
from django.utils import timezone
from modeltranslation.admin import TranslationAdmin

from .models import Conversation, GroupsResult, Statement


class StatementInline(admin.TabularInline):
    """The office's seed statements: accepted as they are written (participants' ones go through moderation)."""

    model = Statement
    extra = 3
    fields = ("text", "is_meta", "status")
    readonly_fields = ("status",)

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(author__isnull=True)


@admin.register(Conversation)
class ConversationAdmin(TranslationAdmin):
    list_display = ("title", "process", "opens_at", "closes_at", "participant_statements")
    list_filter = ("process",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = [StatementInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        statements = formset.save(commit=False)
        for statement in statements:
            if statement.pk is None:
                statement.status = Statement.Status.ACCEPTED
                statement.moderated_by = request.user
                statement.moderated_at = timezone.now()
            statement.save()
        for statement in formset.deleted_objects:
            statement.delete()


@admin.register(GroupsResult)
class GroupsResultAdmin(admin.ModelAdmin):
    list_display = ("conversation", "computed_at", "participants", "votes", "duration_ms", "algorithm")
    readonly_fields = ("conversation", "computed_at", "participants", "votes", "algorithm", "duration_ms")
    exclude = ("groups", "consensus", "projection")
