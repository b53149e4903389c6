"""Back office for the alignment of the plan with the frameworks.

Permissions come from rules.py (object level). Frameworks and their items are
reference data (`manage.py load_frameworks`): read-only but for platform
admins. The plan office links any element; a theme coordinator sees and
links only the elements under their themes, and may only choose those.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.accounts.rules import is_plan_office

from .models import Alignment, Framework, FrameworkItem


class ReferenceAdmin(ObjectPermissionsModelAdminMixin, TabbedTranslationAdmin):
    """Reference data: translated fields in tabs, object-level permissions."""


@admin.register(Framework)
class FrameworkAdmin(ReferenceAdmin):
    list_display = ["code", "title", "publisher", "year", "order"]
    search_fields = ["code", "title_it", "title_en"]


@admin.register(FrameworkItem)
class FrameworkItemAdmin(ReferenceAdmin):
    list_display = ["code", "title", "framework", "parent", "verified"]
    list_filter = ["framework", "verified"]
    list_select_related = ["framework", "parent"]
    search_fields = ["code", "title_it", "title_en", "framework__code"]
    autocomplete_fields = ["parent"]


def coordinated_elements(request: HttpRequest) -> Q:
    """Alignments of elements under the themes the user coordinates."""
    user = request.user
    return (
        Q(theme__coordinators=user)
        | Q(objective__theme__coordinators=user)
        | Q(action__objective__theme__coordinators=user)
    )


# Where each element field leads to the theme's coordinators; the plan has none.
COORDINATOR_PATHS = {
    "plan": None,
    "theme": "coordinators",
    "objective": "theme__coordinators",
    "action": "objective__theme__coordinators",
}


@admin.register(Alignment)
class AlignmentAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["item_code", "item", "element_label"]
    list_filter = ["item__framework", "theme"]
    list_select_related = ["item__framework", "plan", "theme", "objective", "action"]
    search_fields = ["item__code", "item__title_it", "item__title_en", "note_it", "note_en"]
    autocomplete_fields = ["item"]
    fields = ["item", "plan", "theme", "objective", "action", "note"]

    @admin.display(description=_("code"), ordering="item__code")
    def item_code(self, alignment: Alignment) -> str:
        return alignment.item.code

    @admin.display(description=_("element"))
    def element_label(self, alignment: Alignment) -> str:
        return f"{alignment.element._meta.verbose_name}: {alignment.element}"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_plan_office(request.user):
            return queryset
        return queryset.filter(coordinated_elements(request)).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is None or db_field.name not in COORDINATOR_PATHS or is_plan_office(request.user):
            return field
        choices = field.queryset
        path = COORDINATOR_PATHS[db_field.name]
        field.queryset = choices.none() if path is None else choices.filter(**{path: request.user}).distinct()
        return field
