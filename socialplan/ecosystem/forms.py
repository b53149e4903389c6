"""Forms of the personal area. They check the shape of what people type; the rules live in the
services (selfservice.py, commitments.py), whose errors the views show on these forms."""

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socialplan.plan.models import Action

from .models import CpvCode, LegalForm, Membership, Organization, Pledge, PledgeProgress, RuntsSection
from .selfservice import EDITABLE_FIELDS, organization_field

_WIDGET_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
}


class PortalForm(forms.Form):
    """Bootstrap Italia classes on every widget (the templates render labels, help and errors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        for field in self.fields.values():
            kind = type(field.widget).__name__.lower()
            field.widget.attrs.setdefault("class", _WIDGET_CLASSES.get(kind, "form-control"))

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError: on its field when the form has one, else on the form."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class OrganizationSearchForm(PortalForm):
    q = forms.CharField(
        label=_("Name or codice fiscale"),
        min_length=2,
        max_length=100,
        required=False,
        help_text=_("At least two characters of the name, or the first digits of the codice fiscale."),
    )


class MembershipRequestForm(PortalForm):
    message = forms.CharField(
        label=_("Message to the organization"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: who you are and why you want to act for this organization (at most 2,000 characters)."),
    )


class DecisionChoices:
    APPROVE = "approve"
    REJECT = "reject"
    CHOICES = [(APPROVE, _("Approve")), (REJECT, _("Reject"))]


class MembershipDecisionForm(PortalForm):
    decision = forms.ChoiceField(choices=DecisionChoices.CHOICES)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class CpvCodesField(forms.CharField):
    """CPV 2008 codes separated by spaces, commas or new lines; the check digit ('-2') is optional."""

    MAX_CODES = 200

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [re.sub(r"-\d$", "", token) for token in re.split(r"[\s,;]+", text) if token]

    def validate(self, value: Any) -> None:
        super().validate(" ".join(value))
        malformed = [code for code in value if not re.fullmatch(r"\d{8}", code)]
        if malformed:
            raise ValidationError(
                _("A CPV code has eight digits (e.g. 85311000): %(codes)s."), params={"codes": ", ".join(malformed)}
            )
        if len(value) > self.MAX_CODES:
            raise ValidationError(_("At most %(count)d CPV codes."), params={"count": self.MAX_CODES})
        known = set(CpvCode.objects.filter(code__in=value).values_list("code", flat=True))
        unknown = [code for code in value if code not in known]
        if unknown:
            raise ValidationError(_("Not in the CPV 2008 vocabulary: %(codes)s."), params={"codes": ", ".join(unknown)})


VERIFIED_HELP = _("Reviewed by the plan office before it is published.")


class ProfileForm(PortalForm):
    """The editable profile. Verified fields (Organization.VERIFIED_FIELDS) say that they are reviewed."""

    cpv_codes = CpvCodesField(
        label=_("CPV codes of what the organization can supply"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eight-digit CPV 2008 codes separated by spaces or commas, e.g. 85311000 98341130."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(
            Organization,
            fields=[*EDITABLE_FIELDS, "comuni_served", *Organization.VERIFIED_FIELDS],
            widgets={
                "description": forms.Textarea(attrs={"rows": 5}),
                "certifications": forms.Textarea(attrs={"rows": 3}),
                "comuni_served": forms.SelectMultiple(attrs={"size": 8}),
            },
        )
        model_fields["comuni_served"].queryset = model_fields["comuni_served"].queryset.order_by("name")
        model_fields["comuni_served"].help_text = _(
            "Choose every comune where the organization works; hold Ctrl (Cmd on a Mac) to choose more than one."
        )
        model_fields["legal_form"].choices = [("", _("Not stated")), *LegalForm.choices]
        model_fields["runts_section"].choices = [("", _("Not registered in RUNTS")), *RuntsSection.choices]
        for name, field in model_fields.items():
            # Form fields built from model fields leave out the model's own validators (the codice
            # fiscale's check digit, the share's 0-100 range): check them here too, once.
            own = organization_field(name).validators
            field.validators += [validator for validator in own if validator not in field.validators]
        for name in Organization.VERIFIED_FIELDS:
            field = model_fields[name]
            field.help_text = f"{field.help_text} {VERIFIED_HELP}".strip() if field.help_text else VERIFIED_HELP
        self.fields.update(model_fields)
        self.style_fields()

    def verified_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in Organization.VERIFIED_FIELDS]

    def published_at_once_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*EDITABLE_FIELDS, "comuni_served", "cpv_codes")]


def profile_initial(organization: Organization, pending: dict[str, Any] | None) -> dict[str, Any]:
    """The form's starting values: the public profile, with the values waiting for review on top."""
    initial: dict[str, Any] = {
        name: getattr(organization, name) for name in (*EDITABLE_FIELDS, *Organization.VERIFIED_FIELDS)
    }
    initial["comuni_served"] = list(organization.comuni_served.values_list("pk", flat=True))
    initial["cpv_codes"] = " ".join(organization.cpv_codes.values_list("code", flat=True))
    initial.update(pending or {})
    return initial


class PledgeForm(PortalForm):
    action = forms.ChoiceField(label=_("Action of the plan"))

    def __init__(self, *args: Any, actions: list[Action], **kwargs: Any) -> None:
        """`actions`: the plan's actions with their themes, shown grouped by theme."""
        super().__init__(*args, **kwargs)
        self.actions = {str(action.pk): action for action in actions}
        groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
        for action in actions:
            theme = action.objective.theme
            groups.setdefault(theme.pk, (theme.title, []))[1].append((str(action.pk), action.title))
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("Choose an action")), *groups.values()]
        self.fields.update(
            forms.fields_for_model(
                Pledge,
                fields=["title", "description", "quantity", "unit", "due_date"],
                widgets={
                    "description": forms.Textarea(attrs={"rows": 3}),
                    "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                },
            )
        )
        self.style_fields()

    def clean_action(self) -> Action:
        return self.actions[self.cleaned_data["action"]]


class ProgressForm(PortalForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                PledgeProgress,
                fields=["reported_on", "achieved", "note"],
                widgets={
                    "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    "note": forms.Textarea(attrs={"rows": 3}),
                },
            )
        )
        self.style_fields()


class PledgeStatusForm(PortalForm):
    status = forms.ChoiceField(label=_("Status"), choices=Pledge.Status.choices)


class ReviewForm(PortalForm):
    decision = forms.ChoiceField(choices=DecisionChoices.CHOICES)
    note = forms.CharField(
        label=_("Note to the organization"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: say why, so that the members can correct the profile."),
    )
