"""Back office for the territory: read-mostly.

Nothing is added or deleted here: territories and comuni come from the
territory file through `load_territory`, and a deleted comune would orphan
the records that name it. Permissions come from rules.py.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .fileformat import AGE_BANDS, SEXES, population_field
from .models import Comune, Territory


class LoadedFromFileMixin:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Territory)
class TerritoryAdmin(LoadedFromFileMixin, ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "code", "kind", "region", "reference_year"]
    readonly_fields = [
        "code",
        "istat_code",
        "kind",
        "region",
        "reference_year",
        "source",
        "source_url",
        "licence",
        "licence_url",
    ]


@admin.register(Comune)
class ComuneAdmin(LoadedFromFileMixin, ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "istat_code", "cadastral_code", "territory", "population_total"]
    list_filter = ["territory"]
    list_select_related = ["territory"]
    search_fields = ["name", "istat_code", "cadastral_code"]
    fieldsets = [
        (None, {"fields": ["name", "istat_code", "cadastral_code", "territory"]}),
        (_("Population"), {"fields": ["population_total", "population_male", "population_female"]}),
        (
            _("Population by age band"),
            {"fields": [tuple(population_field(band, sex) for sex in SEXES) for band in AGE_BANDS]},
        ),
        (_("Map"), {"fields": ["latitude", "longitude", "boundary_size"]}),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("boundary"))
    def boundary_size(self, obj: Comune) -> str:
        # The GeoJSON runs to kilobytes: its size says whether it is there without flooding the page.
        return _("%(size)s characters of GeoJSON") % {"size": len(obj.boundary)}
