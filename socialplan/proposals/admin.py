from django.contrib import admin

from .models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "theme", "status", "created_at", "hidden_at")
    list_filter = ("process", "status", "theme")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "answered_by", "hidden_by")
    readonly_fields = ("created_at", "address_hash")
