from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["legal_name", "codice_fiscale"]
    search_fields = ["legal_name", "codice_fiscale"]
    inlines = [MembershipInline]
