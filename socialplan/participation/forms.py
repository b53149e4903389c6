"""Forms of the participant's own pages: reports, moderation, profile, account deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ParticipantProfile, Report

REASON_MAX_LENGTH = 1000


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting it?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("Optional, at most 1000 characters: what the moderators should look at."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding, shown in place of the text and sent to the author"),
        max_length=REASON_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Write the reason: it is shown in place of the text and sent to the author.")},
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ParticipantProfile
        fields = ["display_name", "age_band", "organization_type", "digest"]
        help_texts = {
            "age_band": _("Optional, for statistics only: never shown with your contributions."),
            "organization_type": _("Optional, for statistics only: never shown with your contributions."),
            "digest": _("How often we email you about what you follow and what happens to your contributions."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if name in ("age_band", "organization_type"):
                field.choices = [("", _("I prefer not to say")), *list(field.choices)[1:]]  # type: ignore[attr-defined]


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for the password, or the email address for accounts without one."""

    confirmation = forms.CharField(
        label=_("Your password, or your email address if you have no password"),
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "current-password"}),
        error_messages={"required": _("Type your password or your email address to confirm.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password() and self.user.check_password(value):
            return value
        if value.strip().lower() == (self.user.email or "").lower() and self.user.email:
            return value
        raise forms.ValidationError(_("This is neither your password nor your email address."))
