"""The counts of a consultation kept on its rows: supports per comment and annotation, visible contributions.

Counting them per request means joining every support to every comment (20,000
comments at metro scale, for each page of threads). Instead a comment, an
annotation or a support adds one in the transaction that stores it, and
moderation (hiding, showing again) recounts the consultation. `recount` is
also what bulk loads and `manage.py recount_participation` run; the tests hold
the counts kept on write equal to it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, F

from .models import Annotation, Comment, Consultation


@transaction.atomic
def recount(consultation: Consultation | int) -> None:
    """Every count of the consultation from its rows."""
    consultation_id = consultation if isinstance(consultation, int) else consultation.pk
    for model, rows in (
        (Comment, Comment.objects.filter(consultation_id=consultation_id)),
        (Annotation, Annotation.objects.filter(section__consultation_id=consultation_id)),
    ):
        for pk, supports in rows.annotate(counted=Count("supports")).values_list("pk", "counted"):
            model.objects.filter(pk=pk).exclude(support_count=supports).update(support_count=supports)
    Consultation.objects.filter(pk=consultation_id).update(
        comment_count=Comment.objects.filter(consultation_id=consultation_id, hidden_at__isnull=True).count(),
        annotation_count=Annotation.objects.filter(
            section__consultation_id=consultation_id, hidden_at__isnull=True
        ).count(),
    )


def comment_added(comment: Comment) -> None:
    Consultation.objects.filter(pk=comment.consultation_id).update(comment_count=F("comment_count") + 1)


def annotation_added(annotation: Annotation, consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(annotation_count=F("annotation_count") + 1)


def support_added(target: Comment | Annotation) -> None:
    type(target).objects.filter(pk=target.pk).update(support_count=F("support_count") + 1)


def on_contributions_changed(sender: Any, *, kind: Any, pks: list[int], **kwargs: Any) -> None:
    """Recount the consultations of comments or annotations that were hidden or shown again."""
    model = kind.model_class
    if model is Comment:
        consultations = Comment.objects.filter(pk__in=pks).values_list("consultation_id", flat=True)
    elif model is Annotation:
        consultations = Annotation.objects.filter(pk__in=pks).values_list("section__consultation_id", flat=True)
    else:
        return
    for consultation_id in set(consultations):
        recount(consultation_id)
