"""The survey form, built from the survey's questions, and the office's minutes form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import SCALE, Question, Survey

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 3000
MINUTES_MAX = 20000
NUMBER_LIMIT = 10**9


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _scale_choices(question: Question) -> list[tuple[str, str]]:
    labels = {SCALE[0]: question.scale_low_label, SCALE[-1]: question.scale_high_label}
    return [(str(value), f"{value} ({labels[value]})" if labels.get(value) else str(value)) for value in SCALE]


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {"label": question.text, "required": question.required, "help_text": question.help_text}
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.MULTIPLE:
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == Question.Kind.SCALE:
        return forms.TypedChoiceField(
            choices=_scale_choices(question), coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if kind == Question.Kind.YES_NO:
        choices = [("yes", pgettext_lazy("answer", "Yes")), ("no", pgettext_lazy("answer", "No"))]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.NUMBER:
        return forms.DecimalField(
            max_digits=14, decimal_places=2, min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT, **common
        )
    if kind == Question.Kind.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
    return forms.CharField(max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}), **common)


class SurveyForm(forms.Form):
    """One field per question, named `q<id>`; `answers()` maps question ids to the cleaned values."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.prefetch_related("choices"))
        for question in self.questions:
            self.fields[field_name(question)] = _field(question)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for question in self.questions:
            name = field_name(question)
            value = data.get(name)
            too_many = question.kind == Question.Kind.MULTIPLE and question.max_choices and value
            if too_many and len(value) > question.max_choices:
                self.add_error(
                    name,
                    _("Choose at most %(count)s options (you chose %(chosen)s).")
                    % {"count": question.max_choices, "chosen": len(value)},
                )
        return data

    def answers(self) -> dict[int, Any]:
        return {question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions}

    def items(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[field_name(question)]) for question in self.questions]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=MINUTES_MAX, widget=forms.Textarea(attrs={"rows": 12})
    )
    published = forms.BooleanField(label=_("Publish the minutes on the meeting's page"), required=False)
