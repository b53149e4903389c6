"""Forms of the consultation page. They check the shape of what people type; the rules (open dates,
the passage in the text) live in services.py, whose errors the views show on these forms."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.forms import PortalForm

from .models import ANSWER_MAX, COMMENT_MAX, QUOTE_MAX

# Anonymous answers: a person needs a few seconds to read the question and type;
# a form sent back sooner was filled by a program.
MIN_FILL_SECONDS = 3
FORM_MAX_AGE = 24 * 3600
_SALT = "consultations.answer"


def _with_limit(text: str | Promise, limit: int) -> Any:
    """A help text naming a limit, translated when shown (not once, when the module is imported)."""
    return lazy(lambda: str(text) % {"limit": limit}, str)()


class CommentForm(PortalForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_with_limit(_("Plain text, at most %(limit)s characters."), COMMENT_MAX),
        error_messages={"required": _("Write your comment.")},
    )


class AnnotationForm(PortalForm):
    quote = forms.CharField(
        label=_("Passage"),
        max_length=QUOTE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-annotate": "quote"}),
        help_text=_("Select the words in the text above, or copy them here exactly as they are written."),
        error_messages={"required": _("Copy the passage you are commenting on from the text.")},
    )
    body = forms.CharField(
        label=_("Your comment on the passage"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "data-annotate": "body"}),
        error_messages={"required": _("Write your comment on the passage.")},
    )
    # Filled by annotate.js from the selection; only a hint (the passage itself is what counts), so a
    # wrong value is ignored rather than shown as an error on a field nobody sees.
    start = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-annotate": "start"}))
    end = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-annotate": "end"}))

    def clean_start(self) -> int | None:
        return _offset(self.cleaned_data.get("start"))

    def clean_end(self) -> int | None:
        return _offset(self.cleaned_data.get("end"))


def _offset(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def fill_token(consultation_pk: int) -> str:
    """A signed note of when the form was served, for the minimum fill time."""
    return signing.dumps({"c": consultation_pk, "t": time.time()}, salt=_SALT)


class AnswerForm(PortalForm):
    """A short answer without an account; `website` is a trap only programs fill (it is hidden from people)."""

    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_with_limit(_("Plain text, at most %(limit)s characters. Do not write personal data."), ANSWER_MAX),
        error_messages={"required": _("Write your answer.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, consultation_pk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation_pk = consultation_pk
        if not self.is_bound:
            self.fields["started"].initial = fill_token(consultation_pk)
        self.fields["website"].widget.attrs["tabindex"] = "-1"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        error = self._spam_error(data)
        if error is not None:
            # Shown back with a fresh token: a person who was only quick can send it again.
            self.data = {
                **{name: self.data.get(name) for name in self.data},
                "started": fill_token(self.consultation_pk),
            }
            raise error
        return data

    def _spam_error(self, data: dict[str, Any]) -> forms.ValidationError | None:
        refused = forms.ValidationError(
            _("Your answer could not be accepted. Wait a few seconds and send it again."), code="refused"
        )
        if data.get("website"):
            return refused
        try:
            token = signing.loads(data.get("started") or "", salt=_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            return forms.ValidationError(
                _("The form has expired: reload the page and send your answer again."), code="expired"
            )
        if token.get("c") != self.consultation_pk or time.time() - float(token.get("t", 0)) < MIN_FILL_SECONDS:
            return refused
        return None
