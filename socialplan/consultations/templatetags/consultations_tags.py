"""Template helpers of the consultation pages and of the consultations' part of a process page."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from django import template

from socialplan.consultations import selectors
from socialplan.consultations.models import Consultation
from socialplan.participation.models import Process

register = template.Library()


@register.filter
def is_in(value: Any, collection: Container[Any]) -> bool:
    """`{{ comment.pk|is_in:page.supported_comments }}`."""
    return value in collection


@register.simple_tag
def consultations_of(process: Process) -> list[Consultation]:
    """`{% consultations_of process as consultations %}`: with their visible comment and annotation counts."""
    return list(selectors.consultations_of(process=process))
