"""The signup form: explicit consent to the privacy notice, and what a participant may tell for statistics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from socialplan.participation import personal_data
from socialplan.participation.models import ParticipantProfile


def _privacy_help() -> str:
    return format_html('<a href="{}">{}</a>', reverse("participation:privacy"), _("Read the privacy notice"))


class SignupForm(forms.Form):
    """Added to allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS); stores the consent on the participant profile."""

    privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree to the processing of my data to take part"),
        required=True,
        initial=False,
        help_text=lazy(_privacy_help, str)(),
        error_messages={"required": _("To register you must accept the privacy notice.")},
    )
    age_band = forms.ChoiceField(
        label=_("Age band (optional, for statistics only)"),
        required=False,
        choices=[("", _("I prefer not to say")), *ParticipantProfile.AgeBand.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    organization_type = forms.ChoiceField(
        label=_("Who you are (optional, for statistics only)"),
        required=False,
        choices=[("", _("I prefer not to say")), *ParticipantProfile.OrganizationType.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def signup(self, request: Any, user: Any) -> None:
        personal_data.record_consent(
            user=user,
            age_band=self.cleaned_data.get("age_band", ""),
            organization_type=self.cleaned_data.get("organization_type", ""),
        )
