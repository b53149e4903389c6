"""Template helpers of the consultation pages and of the consultations' part of a process page."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from django import template
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socialplan.consultations import selectors
from socialplan.consultations.models import Consultation
from socialplan.participation.models import Process

register = template.Library()


@register.filter
def is_in(value: Any, collection: Container[Any]) -> bool:
    """`{{ comment.pk|is_in:page.supported_comments }}`."""
    return value in collection


@register.simple_tag(takes_context=True)
def support_control(
    context: template.Context, obj: models.Model, action: str, *, supported: bool, label: str
) -> SafeString:
    """The support count of a comment or an annotation and, while the consultation is open, the reader's support
    or the button to give it. A tag, not an include: a page shows one under each of its comments."""
    count = obj.support_count  # type: ignore[attr-defined]
    counted = format_html(
        '<span class="small">{}</span>',
        ngettext("%(counter)s support", "%(counter)s supports", count) % {"counter": count},
    )
    control = SafeString("")
    if context.get("is_open") and not obj.is_hidden:  # type: ignore[attr-defined]
        if supported:
            control = format_html('<span class="small text-success">{}</span>', _("You support it"))
        elif context.get("signed_in"):
            control = format_html(
                '<form method="post" action="{}" class="d-inline">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<button type="submit" class="btn btn-outline-primary btn-xs">{}'
                '<span class="visually-hidden"> {}</span></button></form>',
                action,
                context.get("csrf_token", ""),
                _("Support"),
                label,
            )
    return format_html('<div class="d-flex flex-wrap align-items-center gap-2 mb-1">{}{}</div>', counted, control)


@register.simple_tag
def consultations_of(process: Process) -> list[Consultation]:
    """`{% consultations_of process as consultations %}`: with their visible comment and annotation counts."""
    return list(selectors.consultations_of(process=process))
