"""Organizations of the ecosystem and the people who act for them.

The registry (legal forms, RUNTS, ATECO, CPV, comuni served, ...) grows here;
the foundation needs organizations and memberships for the
"organization member" role.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import validate_codice_fiscale


class Organization(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=255)
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, unique=True, validators=[validate_codice_fiscale]
    )
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator of the profile")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} - {self.organization}"
