"""Opportunities open to the social economy, the buyers who publish them and the law they rest on.

The law is data with dates (`LegalBasis`, `ValueCap`), not code paths: a
legal basis states who may answer (legal forms, RUNTS sections, Third sector
only, minimum share of disadvantaged workers, months registered in RUNTS),
the kinds of service it excludes and its value caps, each valid between two
dates. An opportunity may narrow the rule further with its own eligibility
fields; `eligibility.py` combines the two. Codes of social clauses are
ANAC's (`data/`).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.models import CpvCode
from socialplan.ecosystem.validators import validate_codice_fiscale

from .validators import (
    validate_cpv_prefixes,
    validate_legal_forms,
    validate_reserved_participation,
    validate_reward_criteria,
    validate_runts_sections,
)

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENTAGE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class EligibilityRule(models.Model):
    """Who may answer. An empty list means any; the rules of a legal basis and of an opportunity add up."""

    eligible_legal_forms = models.JSONField(
        _("eligible legal forms"),
        default=list,
        blank=True,
        validators=[validate_legal_forms],
        help_text=_("Codes of the ecosystem's legal forms; empty: any legal form."),
    )
    eligible_runts_sections = models.JSONField(
        _("required RUNTS sections"),
        default=list,
        blank=True,
        validators=[validate_runts_sections],
        help_text=_("Letters a-g; empty: registration in RUNTS is not required."),
    )
    third_sector_only = models.BooleanField(_("Third sector entities only"), default=False)
    min_disadvantaged_share = models.DecimalField(
        _("minimum share of disadvantaged workers (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTAGE,
    )

    class Meta:
        abstract = True


class LegalBasis(EligibilityRule):
    """A provision of law an opportunity rests on, with the eligibility rule it imposes."""

    code = models.SlugField(_("code"), max_length=60, unique=True, help_text=_("e.g. dlgs36-2023-art61"))
    title = models.CharField(_("title"), max_length=300)
    citation = models.CharField(_("citation"), max_length=300, help_text=_("e.g. art. 61 D.Lgs. 36/2023"))
    explanation = models.TextField(_("plain-language explanation"), blank=True)
    url = models.URLField(_("link to the text"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    min_months_in_runts = models.PositiveSmallIntegerField(
        _("minimum months registered in RUNTS"), null=True, blank=True
    )
    excluded_cpv_prefixes = models.JSONField(
        _("excluded kinds of service (CPV prefixes)"),
        default=list,
        blank=True,
        validators=[validate_cpv_prefixes],
        help_text=_(
            "CPV codes beginning with one of these digits cannot be the object, e.g. 85 (health and social work)."
        ),
    )

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="legal_basis_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.citation} - {self.title}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def value_cap_on(self, day: date) -> "ValueCap | None":
        """The cap in force on a day; none when the law sets none then."""
        for cap in self.value_caps.all():
            if cap.valid_from <= day and (cap.valid_to is None or day <= cap.valid_to):
                return cap
        return None


class ValueCap(models.Model):
    """A maximum value of a legal basis, valid between two dates (e.g. the EU threshold for services)."""

    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.CASCADE, related_name="value_caps")
    max_value = models.DecimalField(_("maximum value (EUR, VAT excluded)"), max_digits=14, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Art. 5 L. 381/1991 says "below the EU thresholds": the threshold itself is then not allowed.
    inclusive = models.BooleanField(_("the maximum itself is allowed"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("value cap")
        verbose_name_plural = _("value caps")
        ordering = ["legal_basis", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["legal_basis", "valid_from"], name="value_cap_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="value_cap_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_basis.code}: {self.max_value} EUR ({self.valid_from}-{self.valid_to or ''})"

    def allows(self, value: Decimal) -> bool:
        return value <= self.max_value if self.inclusive else value < self.max_value


class Buyer(models.Model):
    """Who publishes an opportunity: a public body or a company, or the provider of a finance instrument."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public body")
        PRIVATE = "private", _("Private company or foundation")

    name = models.CharField(_("name"), max_length=300)
    codice_fiscale = models.CharField(
        _("codice fiscale"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_codice_fiscale],
        help_text=_("How the OCDS import recognizes a buyer; leave empty when unknown."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    comune = models.ForeignKey(
        "territory.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buyers",
        verbose_name=_("comune"),
    )
    website = models.URLField(_("website"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An empty code is "unknown", stored as NULL so that many buyers may lack one.
        self.codice_fiscale = (self.codice_fiscale or "").strip().upper() or None
        super().save(*args, **kwargs)


class Opportunity(EligibilityRule):
    class Kind(models.TextChoices):
        PUBLIC_TENDER = "public_tender", _("Public tender")
        RESERVED_CONTRACT = "reserved_contract", _("Reserved contract")
        TYPE_B_CONVENTION = "type_b_convention", _("Convention with type B social cooperatives")
        CO_DESIGN = "co_design", _("Co-programming, co-design or accreditation")
        ODV_APS_CONVENTION = "odv_aps_convention", _("Convention with ODV or APS")
        PRIVATE_PROCUREMENT = "private_procurement", _("Private procurement")
        FINANCE = "finance", _("Finance instrument")
        TRAINING = "training", _("Training or youth programme")
        PUBLIC_ASSET = "public_asset", _("Public asset or space for social use")

    class CoDesignKind(models.TextChoices):
        CO_PROGRAMMING = "co_programming", _("Co-programming")
        CO_DESIGN = "co_design", _("Co-design")
        ACCREDITATION = "accreditation", _("Accreditation")

    class Instrument(models.TextChoices):
        GRANT = "grant", _("Grant")
        LOAN = "loan", _("Loan")
        GUARANTEE = "guarantee", _("Guarantee")
        EQUITY = "equity", _("Equity")
        OUTCOME_BASED = "outcome_based", _("Outcome-based payment")
        SOCIAL_IMPACT_BOND = "social_impact_bond", _("Social impact bond")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered on the platform")
        OCDS = "ocds", _("OCDS import")
        DEMO = "demo", _("Demo data")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    co_design_kind = models.CharField(
        _("kind of co-design procedure"), max_length=20, choices=CoDesignKind.choices, blank=True
    )
    legal_basis = models.ForeignKey(
        LegalBasis, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("legal basis")
    )
    buyer = models.ForeignKey(
        Buyer,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("buyer or provider"),
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    cpv_codes = models.ManyToManyField(CpvCode, blank=True, related_name="opportunities", verbose_name=_("CPV codes"))
    value = models.DecimalField(
        _("value (EUR, VAT excluded)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[RegexValidator(r"^EUR$", _("Only EUR is supported."))]
    )
    whole_area = models.BooleanField(_("the whole metropolitan area"), default=False)
    comuni = models.ManyToManyField(
        "territory.Comune", blank=True, related_name="opportunities", verbose_name=_("comuni")
    )
    published_on = models.DateField(_("published on"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    # Social clauses: ANAC's codes (affidamentiRiservati, misurePremiali).
    reserved_participation = models.CharField(
        _("reserved participation (ANAC code)"),
        max_length=20,
        blank=True,
        validators=[validate_reserved_participation],
    )
    # Art. 57 D.Lgs. 36/2023 and art. 47 DL 77/2021: 30% of new hires for young people and women.
    youth_women_hiring_quota = models.BooleanField(_("30% of new hires for young people and women"), default=False)
    reward_criteria = models.JSONField(
        _("reward criteria (ANAC codes)"), default=list, blank=True, validators=[validate_reward_criteria]
    )
    # Finance instruments.
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices, blank=True)
    ticket_min = models.DecimalField(
        _("minimum ticket (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    ticket_max = models.DecimalField(
        _("maximum ticket (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    rate = models.DecimalField(
        _("interest rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True, validators=PERCENTAGE
    )
    tenor_months = models.PositiveSmallIntegerField(_("tenor (months)"), null=True, blank=True)
    co_financing_share = models.DecimalField(
        _("co-financing required (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENTAGE
    )
    # Training and youth programmes.
    target_age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    target_age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    places = models.PositiveIntegerField(_("places"), null=True, blank=True)
    # Public assets in concession.
    address = models.CharField(_("address"), max_length=300, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    concession_years = models.PositiveSmallIntegerField(_("concession (years)"), null=True, blank=True)
    # Where it comes from.
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    ocid = models.CharField(_("OCDS identifier (ocid)"), max_length=200, null=True, blank=True, unique=True)
    raw = models.JSONField(_("raw imported data"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["kind", "status"]), models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return self.title

    # The CPV codes a form is about to set (a many-to-many relation is saved after the opportunity):
    # `clean` checks them rather than the saved ones.
    pending_cpv_codes: list[CpvCode] | None = None

    def clean(self) -> None:
        from .validation import check_opportunity

        super().clean()
        check_opportunity(self, cpv_codes=self.pending_cpv_codes)


class Lot(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    value = models.DecimalField(
        _("value (EUR, VAT excluded)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    cpv_codes = models.ManyToManyField(CpvCode, blank=True, related_name="lots", verbose_name=_("CPV codes"))

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["opportunity", "number"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "number"], name="lot_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Document(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=1000)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["opportunity", "pk"]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    """A contract awarded on an opportunity (or one of its lots), typed by the plan office or read from OCDS.

    Who won is in `suppliers`; the social value the contract promises and delivers is in `commitments`.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered on the platform")
        OCDS = "ocds", _("OCDS import")

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="awards", verbose_name=_("opportunity")
    )
    # An import replaces the lots of an opportunity, and then its awards: the link is cleared, not the award.
    lot = models.ForeignKey(
        Lot, on_delete=models.SET_NULL, null=True, blank=True, related_name="awards", verbose_name=_("lot")
    )
    date = models.DateField(_("award date"), null=True, blank=True)
    value = models.DecimalField(
        _("value awarded (EUR, VAT excluded)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    ocds_award_id = models.CharField(_("OCDS award identifier"), max_length=200, blank=True)
    raw = models.JSONField(_("raw imported data"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "ocds_award_id"],
                condition=~models.Q(ocds_award_id=""),
                name="award_unique_ocds_id",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0), name="award_value_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "date"])]

    def __str__(self) -> str:
        return f"{self.opportunity} ({self.date or '-'})"

    def clean(self) -> None:
        from .awards import check_award

        super().clean()
        check_award(self)


class AwardSupplier(models.Model):
    """One winner of an award: by name and codice fiscale, linked to the ecosystem's organization when known."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="suppliers", verbose_name=_("award"))
    organization = models.ForeignKey(
        "ecosystem.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards_won",
        verbose_name=_("organization of the ecosystem"),
    )
    name = models.CharField(_("name"), max_length=300)
    # Empty when unknown: ANAC publishes some suppliers without one.
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, blank=True, validators=[validate_codice_fiscale]
    )
    share = models.DecimalField(
        _("share of the value (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTAGE,
        help_text=_("For a group of suppliers; when no supplier has one, the value is split equally."),
    )

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["award", "pk"]

    def __str__(self) -> str:
        return self.name


class SocialValueMeasure(models.Model):
    """What a contract can promise besides the work itself, in a unit (Social Value Portal's TOMs are the model)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=100, help_text=_("e.g. people, hours, EUR"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("social value measure")
        verbose_name_plural = _("social value measures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class ProxyValue(models.Model):
    """The EUR a unit of a measure stands for, between two dates: indicative, with its source."""

    measure = models.ForeignKey(
        SocialValueMeasure, on_delete=models.CASCADE, related_name="proxies", verbose_name=_("measure")
    )
    eur_per_unit = models.DecimalField(_("EUR per unit"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("proxy value")
        verbose_name_plural = _("proxy values")
        ordering = ["measure", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "valid_from"], name="proxy_value_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="proxy_value_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code}: {self.eur_per_unit} EUR ({self.valid_from}-{self.valid_to or ''})"


class SocialValueCommitment(models.Model):
    """What the supplier of an award promises, in a measure's unit, over a period."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("award"))
    measure = models.ForeignKey(
        SocialValueMeasure, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("measure")
    )
    quantity = models.DecimalField(_("quantity committed"), max_digits=14, decimal_places=2, validators=NON_NEGATIVE)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    class Meta:
        verbose_name = _("social value commitment")
        verbose_name_plural = _("social value commitments")
        ordering = ["award", "measure", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="commitment_period_in_order"
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="commitment_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.quantity}"


class SocialValueDelivery(models.Model):
    """What the supplier reports having delivered of a commitment in a period."""

    commitment = models.ForeignKey(
        SocialValueCommitment, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("commitment")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    quantity = models.DecimalField(_("quantity delivered"), max_digits=14, decimal_places=2, validators=NON_NEGATIVE)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("social value delivery")
        verbose_name_plural = _("social value deliveries")
        ordering = ["commitment", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="delivery_period_in_order"
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="delivery_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment.measure}: {self.quantity} ({self.period_start}-{self.period_end})"
