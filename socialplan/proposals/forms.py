"""Forms of the proposals: the shape of what people type; the rules of the process live in services.py."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.forms import PortalForm
from socialplan.plan.models import Theme

from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Proposal
from .selectors import DEFAULT_SORT


class ProposalForm(PortalForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
    )
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        label=_("Theme of the plan"),
        empty_label=_("No particular theme"),
    )
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = themes
        self.fields["title"].help_text = gettext("In a few words, what you propose (at most %(count)s characters).") % {
            "count": TITLE_MAX_LENGTH
        }
        self.fields["body"].help_text = gettext(
            "What should the plan do, for whom, and why (at most %(count)s characters)."
        ) % {"count": BODY_MAX_LENGTH}


class AnswerForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(value, label) for value, label in Proposal.Status.choices if value in Proposal.ANSWERS],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the proposal's page. Required for a rejection."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Proposal.Status.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("A rejected proposal needs the reason of the rejection."))
        return data


class FilterForm(PortalForm):
    """The list's filters, sent by GET with Italian names in the address."""

    tema = forms.ChoiceField(label=_("Theme"), required=False)
    stato = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Proposal.Status.choices]
    )
    ordine = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("recenti", _("Newest first")), ("sostegni", _("Most supported first"))],
        initial=DEFAULT_SORT,
    )

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["tema"]).choices = [
            ("", _("Any theme")),
            *((theme.code, theme.title) for theme in themes),
        ]
