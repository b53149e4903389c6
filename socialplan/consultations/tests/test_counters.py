"""The counts kept on write equal the counts from the rows, whatever the sequence of writes and moderation."""

import pytest

from socialplan.consultations import counters, services
from socialplan.consultations.models import Comment, Consultation
from socialplan.participation import moderation
from socialplan.participation.contributions import kind_of

pytestmark = pytest.mark.django_db


def kept(consultation: Consultation) -> tuple[int, int, list[int], list[int]]:
    consultation.refresh_from_db()
    comments = list(consultation.comments.order_by("pk").values_list("support_count", flat=True))
    annotations = [
        annotation.support_count for section in consultation.sections.all() for annotation in section.annotations.all()
    ]
    return consultation.comment_count, consultation.annotation_count, comments, annotations


def assert_as_recounted(consultation: Consultation) -> tuple[int, int, list[int], list[int]]:
    before = kept(consultation)
    counters.recount(consultation)
    assert kept(consultation) == before
    return before


def test_comments_annotations_and_supports_keep_the_counts(consultation, anna, bruno, roles):
    section = consultation.sections.order_by("order").first()
    first = services.post_comment(consultation=consultation, user=anna, body="Serve più chiarezza.", section=section)
    reply = services.post_comment(consultation=consultation, user=bruno, body="Concordo.", parent=first)
    annotation = services.annotate(section=section, user=bruno, quote=section.body[:20], body="Da riscrivere.")
    assert services.support_comment(comment=first, user=bruno)
    assert not services.support_comment(comment=first, user=bruno)  # a second support counts once
    assert services.support_comment(comment=first, user=anna)
    assert services.support_annotation(annotation=annotation, user=anna)
    assert assert_as_recounted(consultation) == (2, 1, [2, 0], [1])
    moderation.hide(moderator=roles.admin, kind=kind_of(Comment), obj=reply, reason="Offensivo")
    assert assert_as_recounted(consultation)[:2] == (1, 1)
    moderation.unhide(moderator=roles.admin, kind=kind_of(Comment), obj=reply)
    assert assert_as_recounted(consultation)[:2] == (2, 1)
