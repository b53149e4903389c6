"""The plan office enters surveys, meetings and interview records here."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Answer, Choice, Interview, Meeting, Question, Registration, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("order", "text", "kind", "required", "max_choices")
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "opens_at", "closes_at", "anonymous_results")
    list_filter = ("process",)
    search_fields = ("title",)
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ("order", "label")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "survey", "kind", "required", "order")
    list_filter = ("survey", "kind")
    inlines = [ChoiceInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("question", "text", "number", "choices")
    readonly_fields = fields
    can_delete = False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("survey", "author", "created_at", "hidden_at")
    list_filter = ("survey",)
    readonly_fields = ("survey", "author", "created_at", "text", "address_hash")
    fields = ("survey", "author", "created_at", "text", "hidden_at", "hidden_reason")
    inlines = [AnswerInline]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ("user", "created_at", "cancelled_at", "attended")
    readonly_fields = ("user", "created_at")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "starts_at", "capacity", "minutes_published")
    list_filter = ("process", "minutes_published")
    search_fields = ("title", "place")
    fields = (
        "process", "title", "description", "starts_at", "ends_at", "place", "online_url", "agenda", "capacity",
        "registration_opens_at", "registration_closes_at", "element_keys", "minutes", "minutes_published", "author",
    )  # fmt: skip
    raw_id_fields = ("author",)
    inlines = [RegistrationInline]

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user  # the organizer
        super().save_model(request, obj, form, change)


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ("stakeholder", "organization_label", "process", "held_on", "summary_public")
    list_filter = ("process", "summary_public", "themes")
    search_fields = ("stakeholder", "organization_name", "organization__legal_name")
    fields = (
        "process", "stakeholder", "organization", "organization_name", "held_on", "themes", "element_keys",
        "summary", "summary_public", "confidential_notes", "interviewer",
    )  # fmt: skip
    raw_id_fields = ("organization", "interviewer")
    filter_horizontal = ("themes",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        return super().get_queryset(request).select_related("process", "organization")

    def save_model(self, request: HttpRequest, obj: Interview, form: Any, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user  # who recorded it
        if obj.interviewer_id is None:
            obj.interviewer = request.user
        super().save_model(request, obj, form, change)
