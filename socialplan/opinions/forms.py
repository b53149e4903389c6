"""Forms of the opinion groups: a participant's statement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STATEMENT_MAX_LENGTH


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_LENGTH,
        help_text=_("One short sentence that others can agree or disagree with, at most 280 characters."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={
            "required": _("Write the statement."),
            "max_length": _("A statement is at most %(limit_value)d characters long (this one has %(show_value)d)."),
        },
    )
