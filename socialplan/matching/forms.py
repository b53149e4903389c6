"""The alert subscription form of the personal area."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.forms import PortalForm
from socialplan.ecosystem.models import Organization
from socialplan.opportunities.models import Opportunity
from socialplan.territory.models import Comune

CPV_PREFIX = re.compile(r"^\d{2,8}$")


class AlertForm(PortalForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organization"))
    kinds = forms.MultipleChoiceField(
        choices=Opportunity.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Kinds"),
        help_text=_("None ticked: every kind."),
    )
    cpv_prefixes = forms.CharField(
        required=False,
        max_length=300,
        label=_("CPV codes"),
        help_text=_("Codes or their first digits, separated by commas (e.g. 9091, 77310000). Empty: any."),
    )
    comune = forms.ModelChoiceField(
        queryset=Comune.objects.order_by("name"),
        required=False,
        label=_("Comune"),
        empty_label=_("Anywhere"),
        help_text=_("Opportunities for the whole metropolitan area are always included."),
    )
    min_score = forms.IntegerField(min_value=0, max_value=100, initial=30, label=_("Minimum match score (0-100)"))
    frequency = forms.ChoiceField(choices=[("daily", _("daily")), ("weekly", _("weekly"))], label=_("Frequency"))

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["kinds"].widget.attrs.pop("class", None)

    def clean_cpv_prefixes(self) -> list[str]:
        raw = self.cleaned_data.get("cpv_prefixes") or ""
        prefixes = [part.strip() for part in raw.split(",") if part.strip()]
        wrong = [part for part in prefixes if not CPV_PREFIX.match(part)]
        if wrong:
            raise forms.ValidationError(
                _("Not a CPV code or its first digits (2 to 8 digits): %(codes)s"), params={"codes": ", ".join(wrong)}
            )
        return prefixes
