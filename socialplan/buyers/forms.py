"""Forms of the buyers' area. They check the shape of what people type (a date, a number, a line of a lot);
the rules of an opportunity and of social value are the registry's services', whose errors the views show
on these forms, on the field they name."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.forms import PortalForm
from socialplan.ecosystem.models import LegalForm, RuntsSection
from socialplan.opportunities.codelists import choices, reserved_participation_codes, reward_criteria_codes
from socialplan.opportunities.models import Buyer, LegalBasis, Opportunity, SocialValueCommitment, SocialValueMeasure
from socialplan.opportunities.services import DocumentSpec, LotSpec
from socialplan.territory.models import Comune

from .services import OpportunitySpec

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BuyerRequestForm(PortalForm):
    """The codice fiscale finds the buyer; when none has it, the other fields register a new one."""

    codice_fiscale = forms.CharField(
        label=_("Codice fiscale of the buyer"),
        max_length=20,
        help_text=_("Eleven digits for a public body or a company, e.g. 00514490010."),
    )
    name = forms.CharField(
        label=_("Name of the buyer"),
        max_length=300,
        required=False,
        help_text=_("Only for a buyer not yet registered on the platform."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of buyer"),
        choices=[("", _("Choose the kind")), *Buyer.Kind.choices],
        required=False,
        help_text=_("A finance provider is a public body or a private company or foundation."),
    )
    website = forms.URLField(label=_("Website of the buyer"), required=False, max_length=200)
    message = forms.CharField(
        label=_("Message to the plan office"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: your role in the buyer's organization (at most 2,000 characters)."),
    )


class DecisionForm(PortalForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note for the person who asked"), required=False, max_length=2000)


class LotsField(forms.CharField):
    """One lot per line: number | title | value | CPV codes; value and codes may be left out."""

    def to_python(self, value: Any) -> list[LotSpec]:  # type: ignore[override]
        lots, errors = [], []
        for line_number, line in enumerate((super().to_python(value) or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")] + ["", ""]
            number, title, amount, codes = parts[:4]
            if not number.isdigit() or not title:
                errors.append(_("Line %(line)d: write the lot's number, then its title.") % {"line": line_number})
                continue
            try:
                lot_value = Decimal(amount.replace(",", ".")) if amount else None
            except InvalidOperation:
                errors.append(_("Line %(line)d: the value is not a number.") % {"line": line_number})
                continue
            lots.append(LotSpec(number=int(number), title=title, value=lot_value, cpv_codes=cpv_list(codes)))
        if errors:
            raise ValidationError(errors)
        return lots


class DocumentsField(forms.CharField):
    """One document per line: title | address."""

    def to_python(self, value: Any) -> list[DocumentSpec]:  # type: ignore[override]
        documents, errors = [], []
        for line_number, line in enumerate((super().to_python(value) or "").splitlines(), start=1):
            if not line.strip():
                continue
            title, _separator, address = (part.strip() for part in line.rpartition("|"))
            if not title or not address:
                errors.append(_("Line %(line)d: write the title, a bar and the address.") % {"line": line_number})
                continue
            documents.append(DocumentSpec(title=title, url=address))
        if errors:
            raise ValidationError(errors)
        return documents


def cpv_list(text: str) -> list[str]:
    """CPV codes separated by spaces or commas; the check digit ('-2') is dropped. The registry says which it
    does not know."""
    return [re.sub(r"-\d$", "", token) for token in re.split(r"[\s,;]+", text) if token]


# The form's fields that are the opportunity's own, passed to the registry's service as they are.
OPPORTUNITY_FIELDS = (
    "kind",
    "co_design_kind",
    "instrument",
    "legal_basis",
    "title_it",
    "title_en",
    "description_it",
    "description_en",
    "value",
    "whole_area",
    "published_on",
    "deadline",
    "eligible_legal_forms",
    "eligible_runts_sections",
    "third_sector_only",
    "min_disadvantaged_share",
    "reserved_participation",
    "youth_women_hiring_quota",
    "reward_criteria",
    # Only some kinds use these (decision 0014: blank for the others): finance instruments,
    "ticket_min",
    "ticket_max",
    "rate",
    "tenor_months",
    "co_financing_share",
    # training and youth programmes,
    "target_age_min",
    "target_age_max",
    "places",
    # public assets in concession.
    "address",
    "area_m2",
    "concession_years",
)
# Where the registry's errors go when it names the model field rather than the form's.
ERROR_FIELDS = {"title": "title_it", "description": "description_it"}


class OpportunityForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Kind of opportunity"), choices=[("", _("Choose the kind")), *Opportunity.Kind.choices]
    )
    legal_basis: forms.ModelChoiceField[LegalBasis] = forms.ModelChoiceField(
        label=_("Legal basis"),
        queryset=LegalBasis.objects.order_by("citation"),
        empty_label=_("Choose the legal basis"),
    )
    co_design_kind = forms.ChoiceField(
        label=_("Kind of co-design procedure"),
        choices=[("", _("Not a co-design call")), *Opportunity.CoDesignKind.choices],
        required=False,
    )
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        choices=[("", _("Not a finance instrument")), *Opportunity.Instrument.choices],
        required=False,
    )
    title_it = forms.CharField(label=_("Title in Italian"), max_length=500)
    title_en = forms.CharField(label=_("Title in English"), max_length=500, required=False)
    description_it = forms.CharField(
        label=_("Description in Italian"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    cpv_codes = forms.CharField(
        label=_("CPV codes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eight-digit CPV 2008 codes separated by spaces or commas, e.g. 90911200 77310000."),
    )
    value = forms.DecimalField(label=_("Value (EUR, VAT excluded)"), required=False, max_digits=14, decimal_places=2)
    lots = LotsField(
        label=_("Lots"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One lot per line: number | title | value in EUR | CPV codes, e.g. 1 | Cleaning | 50000 | 90911200."
        ),
    )
    whole_area = forms.BooleanField(label=_("The whole metropolitan area"), required=False)
    comuni = forms.ModelMultipleChoiceField(
        label=_("Comuni"),
        queryset=Comune.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose more than one."),
    )
    published_on = forms.DateField(label=_("Publication date"), widget=DATE)
    deadline = forms.DateTimeField(
        label=_("Deadline for answers"),
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    eligible_legal_forms = forms.MultipleChoiceField(
        label=_("Eligible legal forms"),
        choices=LegalForm.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: the legal basis decides."),
    )
    eligible_runts_sections = forms.MultipleChoiceField(
        label=_("Required RUNTS sections"),
        choices=RuntsSection.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("None chosen: registration in RUNTS is not required."),
    )
    third_sector_only = forms.BooleanField(label=_("Third sector entities only"), required=False)
    min_disadvantaged_share = forms.DecimalField(
        label=_("Minimum share of disadvantaged workers (%)"), required=False, max_digits=5, decimal_places=2
    )
    reserved_participation = forms.ChoiceField(label=_("Reserved participation (ANAC code)"), required=False)
    youth_women_hiring_quota = forms.BooleanField(
        label=_("30% of new hires for young people and women"), required=False
    )
    reward_criteria = forms.MultipleChoiceField(
        label=_("Reward criteria (ANAC codes)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    documents = DocumentsField(
        label=_("Documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One document per line: title | address, e.g. Capitolato | https://example.org/capitolato.pdf."),
    )
    # Finance instruments. Ranges are the registry's to check, so that the refusal reads the same everywhere.
    ticket_min = forms.DecimalField(
        label=_("Minimum ticket (EUR)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("The smallest amount one organization can receive, e.g. 10000."),
    )
    ticket_max = forms.DecimalField(
        label=_("Maximum ticket (EUR)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("The largest amount one organization can receive."),
    )
    rate = forms.DecimalField(
        label=_("Interest rate (%)"),
        required=False,
        max_digits=6,
        decimal_places=3,
        help_text=_("Yearly, e.g. 1.5; leave blank for a grant."),
    )
    tenor_months = forms.IntegerField(
        label=_("Tenor (months)"), required=False, help_text=_("How long the loan or guarantee lasts.")
    )
    co_financing_share = forms.DecimalField(
        label=_("Co-financing required (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("The share of the project the organization pays itself, e.g. 20."),
    )
    # Training and youth programmes.
    target_age_min = forms.IntegerField(label=_("Minimum age"), required=False, help_text=_("In years, e.g. 16."))
    target_age_max = forms.IntegerField(label=_("Maximum age"), required=False, help_text=_("In years, e.g. 29."))
    places = forms.IntegerField(label=_("Places"), required=False, help_text=_("How many people the programme takes."))
    # Public assets in concession.
    address = forms.CharField(
        label=_("Address of the asset"),
        required=False,
        max_length=300,
        help_text=_("Street, number and comune, e.g. Via Nizza 12, Torino."),
    )
    area_m2 = forms.DecimalField(label=_("Area (m²)"), required=False, max_digits=10, decimal_places=2)
    concession_years = forms.IntegerField(
        label=_("Concession (years)"), required=False, help_text=_("How long the concession lasts.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reserved = self.fields["reserved_participation"]
        reserved.choices = [("", _("None")), *choices(reserved_participation_codes())]  # type: ignore[attr-defined]
        self.fields["reward_criteria"].choices = choices(reward_criteria_codes())  # type: ignore[attr-defined]

    def spec(self) -> OpportunitySpec:
        data = self.cleaned_data
        return OpportunitySpec(
            fields={name: data[name] for name in OPPORTUNITY_FIELDS},
            cpv_codes=cpv_list(data["cpv_codes"]),
            comuni=list(data["comuni"]),
            lots=data["lots"],
            documents=data["documents"],
        )

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                name = ERROR_FIELDS.get(name, name)
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)

    def typed_values(self) -> dict[str, list[str]]:
        """What was typed, field by field, as a draft keeps it."""
        data = cast(QueryDict, self.data)
        return {name: data.getlist(name) for name in self.fields if name in data}


def opportunity_initial(opportunity: Opportunity) -> dict[str, Any]:
    """The form's values of a published opportunity."""
    initial: dict[str, Any] = {name: getattr(opportunity, name) for name in OPPORTUNITY_FIELDS}
    initial["legal_basis"] = opportunity.legal_basis_id
    initial["cpv_codes"] = " ".join(code.code for code in opportunity.cpv_codes.all())
    initial["comuni"] = [comune.pk for comune in opportunity.comuni.all()]
    initial["lots"] = "\n".join(
        " | ".join(
            [
                str(lot.number),
                lot.title,
                "" if lot.value is None else str(lot.value),
                " ".join(c.code for c in lot.cpv_codes.all()),
            ]
        )
        for lot in opportunity.lots.all()
    )
    initial["documents"] = "\n".join(f"{document.title} | {document.url}" for document in opportunity.documents.all())
    return initial


def draft_initial(data: dict[str, list[str]], form_class: type[forms.Form] = OpportunityForm) -> dict[str, Any]:
    """The form's values of a draft: lists for the fields that take several, the one value otherwise."""
    many = {
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    }
    return {name: values if name in many else (values[0] if values else "") for name, values in data.items()}


class MeasureChoiceField(forms.ModelChoiceField[SocialValueMeasure]):
    def label_from_instance(self, measure: SocialValueMeasure) -> str:  # type: ignore[override]
        return f"{measure.name} ({measure.unit})"


class CommitmentForm(PortalForm):
    measure = MeasureChoiceField(
        label=_("Measure"), queryset=SocialValueMeasure.objects.all(), empty_label=_("Choose a measure")
    )
    quantity = forms.DecimalField(
        label=_("Quantity committed"), max_digits=14, decimal_places=2, help_text=_("In the measure's unit.")
    )
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)


class CommitmentChoiceField(forms.ModelChoiceField[SocialValueCommitment]):
    def label_from_instance(self, commitment: SocialValueCommitment) -> str:  # type: ignore[override]
        return _("%(measure)s: %(quantity)s %(unit)s, %(start)s - %(end)s") % {
            "measure": commitment.measure.name,
            "quantity": commitment.quantity,
            "unit": commitment.measure.unit,
            "start": commitment.period_start.strftime("%d/%m/%Y"),
            "end": commitment.period_end.strftime("%d/%m/%Y"),
        }


class DeliveryForm(PortalForm):
    commitment = CommitmentChoiceField(
        label=_("Commitment"), queryset=SocialValueCommitment.objects.none(), empty_label=_("Choose a commitment")
    )
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    quantity = forms.DecimalField(
        label=_("Quantity delivered"), max_digits=14, decimal_places=2, help_text=_("In the measure's unit.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, commitments: list[SocialValueCommitment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["commitment"])
        field.queryset = SocialValueCommitment.objects.filter(pk__in=[c.pk for c in commitments])
        field.queryset = field.queryset.select_related("measure")
