"""Opening a consultation on the plan's text, and what participants add to it, through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialplan.consultations import demo, selectors, services
from socialplan.consultations.models import (
    Annotation,
    AnonymousAnswer,
    Comment,
    CommentSupport,
    Consultation,
    text_hash,
)
from socialplan.participation.contributions import kind_of
from socialplan.participation.demo import demo_participants
from socialplan.participation.models import Follow, Notification
from socialplan.plan.models import Action, Theme

from .conftest import ACTION, THEME, participant


def test_sections_take_the_current_text_of_the_elements_in_the_plan_order(consultation):
    sections = list(consultation.sections.all())
    assert [section.element_key for section in sections] == [THEME, ACTION]  # asked in the other order
    theme = Theme.objects.get(code=THEME)
    action = Action.objects.get(code="sp-s3")
    assert sections[0].heading == theme.title_it
    assert sections[0].body == theme.vision_it
    assert sections[1].heading == action.title_it
    assert sections[1].body == action.description_it
    assert sections[1].body_hash == text_hash(action.description_it)
    assert consultation.slug == "bozza-di-revisione"


def test_the_sections_keep_their_text_when_the_plan_changes(consultation):
    Action.objects.filter(code="sp-s3").update(description_it="Testo nuovo.")
    assert "innovation procurement" in consultation.sections.get(element_key=ACTION).body


def test_unknown_keys_and_dates_in_the_wrong_order_are_refused_with_reasons(process):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.open_consultation(
            process, title="Bozza", element_keys=[THEME, "no-such-theme/x"], opens_at=now, closes_at=now
        )
    messages = error.value.message_dict
    assert "no-such-theme/x" in messages["element_keys"][0]
    assert messages["closes_at"] == ["The consultation must close after it opens."]
    assert not Consultation.objects.exists()


def test_status_follows_the_dates(consultation):
    now = timezone.now()
    assert consultation.is_open(now) and consultation.status(now) == "open"
    assert consultation.status(consultation.opens_at - timedelta(seconds=1)) == "upcoming"
    assert consultation.status(consultation.closes_at) == "closed"
    assert not consultation.is_open(consultation.closes_at)


def test_a_reply_to_the_third_level_joins_the_conversation_of_its_parent(consultation, anna, bruno):
    section = consultation.sections.first()
    root = services.post_comment(consultation=consultation, user=anna, body="Radice", section=section)
    second = services.post_comment(consultation=consultation, user=bruno, body="Due", parent=root)
    third = services.post_comment(consultation=consultation, user=anna, body="Tre", parent=second)
    fourth = services.post_comment(consultation=consultation, user=bruno, body="Quattro", parent=third)
    assert (second.depth, third.depth, fourth.depth) == (2, 3, 3)
    assert fourth.parent == second
    assert fourth.section == section and fourth.element_keys == [THEME]


def test_empty_and_oversized_comments_are_refused(consultation, anna):
    with pytest.raises(ValidationError, match="Write your comment"):
        services.post_comment(consultation=consultation, user=anna, body="   ")
    with pytest.raises(ValidationError, match="within 2000 characters"):
        services.post_comment(consultation=consultation, user=anna, body="x" * 2001)
    assert not Comment.objects.exists()


def test_nothing_is_written_after_closing(consultation, anna):
    comment = services.post_comment(consultation=consultation, user=anna, body="In tempo")
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    consultation.refresh_from_db()
    comment.consultation = consultation
    with pytest.raises(ValidationError, match="closed on"):
        services.post_comment(consultation=consultation, user=anna, body="Troppo tardi")
    with pytest.raises(ValidationError, match="closed on"):
        services.support_comment(comment=comment, user=anna)
    with pytest.raises(ValidationError, match="closed on"):
        services.post_anonymous_answer(consultation=consultation, body="Tardi")
    assert Comment.objects.count() == 1 and not CommentSupport.objects.exists()


def test_a_second_support_is_not_counted_and_a_deleted_account_keeps_its_support(consultation, anna, bruno):
    comment = services.post_comment(consultation=consultation, user=anna, body="Sostenetemi")
    assert services.support_comment(comment=comment, user=bruno) is True
    assert services.support_comment(comment=comment, user=bruno) is False
    bruno.delete()
    carla = participant("carla@example.org", "Carla")
    assert services.support_comment(comment=comment, user=carla) is True
    assert CommentSupport.objects.filter(comment=comment).count() == 2


def test_an_annotation_needs_a_passage_of_the_text(consultation, anna):
    section = consultation.sections.get(element_key=ACTION)
    with pytest.raises(ValidationError) as error:
        services.annotate(section=section, user=anna, quote="parole che non ci sono", body="?")
    assert "not in the text of the section" in error.value.message_dict["quote"][0]
    annotation = services.annotate(section=section, user=anna, quote="strategie integrate", body="Quali?")
    assert section.body[annotation.start : annotation.end] == "strategie integrate"
    assert annotation.body_hash_at == section.body_hash


def test_an_annotation_follows_its_passage_when_the_text_changes_and_is_flagged_when_it_is_gone(consultation, anna):
    section = consultation.sections.get(element_key=ACTION)
    moved = services.annotate(section=section, user=anna, quote="alto impatto sociale", body="Bene")
    gone = services.annotate(section=section, user=anna, quote="strategie integrate", body="Quali?")
    section.body = "Premessa aggiunta. " + section.body.replace("strategie integrate", "piani comuni")
    section.save()
    moved.refresh_from_db()
    gone.refresh_from_db()
    assert moved.is_anchored
    assert section.body[moved.start : moved.end] == "alto impatto sociale"
    assert not gone.is_anchored
    assert gone.quote == "strategie integrate"
    page = selectors.consultation_page(consultation=consultation, user=anna)
    view = next(view for view in page.sections if view.section == section)
    marked = [segment.text for segment in view.segments if segment.annotations]
    assert marked == ["alto impatto sociale"]
    assert [annotation.anchored for annotation in view.annotations] == [False, True]


def test_anonymous_answers_only_in_open_mode(consultation):
    answer = services.post_anonymous_answer(consultation=consultation, body="  Bene così  ")
    assert answer.body == "Bene così" and answer.author is None
    Consultation.objects.filter(pk=consultation.pk).update(open_mode=False)
    consultation.refresh_from_db()
    with pytest.raises(ValidationError, match="registered participants only"):
        services.post_anonymous_answer(consultation=consultation, body="No")
    assert AnonymousAnswer.objects.count() == 1


def test_the_kinds_are_registered_for_moderation_and_export(consultation):
    assert kind_of(Comment).process_lookup == "consultation__process"
    assert kind_of(Annotation).process_lookup == "section__consultation__process"
    assert kind_of(AnonymousAnswer).text_field == "body"
    assert Comment.objects.filter(**{kind_of(Comment).process_lookup: consultation.process}).count() == 0


def test_results_count_visible_contributions_and_distinct_participants(consultation, anna, bruno):
    section = consultation.sections.first()
    first = services.post_comment(consultation=consultation, user=anna, body="Uno", section=section)
    hidden = services.post_comment(consultation=consultation, user=bruno, body="Spam")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="spam")
    services.support_comment(comment=first, user=bruno)
    services.annotate(section=section, user=anna, quote=section.body[:10], body="Nota")
    services.post_anonymous_answer(consultation=consultation, body="Anonima")
    results = selectors.results(consultation=consultation)
    assert (results.comments, results.annotations, results.supports, results.participants, results.answers) == (
        1,
        1,
        1,
        2,
        1,
    )
    assert [(row.comments, row.annotations, row.supports) for row in results.sections] == [(1, 1, 1), (0, 0, 0)]
    assert [comment.pk for comment in results.top_comments] == [first.pk]


def test_the_demo_loads_once_and_is_removed(process):
    participants, _created = demo_participants(12)
    report = demo.load_demo(process, participants)
    consultation = Consultation.objects.get(slug=demo.DEMO_SLUG)
    assert Comment.objects.filter(consultation=consultation).count() == demo.COMMENTS
    assert Comment.objects.filter(consultation=consultation, parent__isnull=False).count() == demo.COMMENTS - 15
    assert Annotation.objects.filter(section__consultation=consultation).count() == demo.ANNOTATIONS
    assert all(annotation.is_anchored for annotation in Annotation.objects.all())
    assert "40 commenti" in report
    assert demo.load_demo(process, participants) == "Consultazione demo già presente."
    assert Comment.objects.count() == demo.COMMENTS
    process.slug = "demo-prova"
    process.save()
    assert demo.remove_demo() > 0
    assert not Consultation.objects.exists() and not Comment.objects.exists()


def test_the_author_of_a_comment_hears_of_replies_and_follows_what_they_wrote(consultation, anna, bruno):
    root = services.post_comment(consultation=consultation, user=anna, body="Domanda")
    services.post_comment(consultation=consultation, user=bruno, body="Risposta", parent=root)
    assert [n.subject_it for n in Notification.objects.filter(user=anna)] == [
        "Nuova risposta nella consultazione «Bozza di revisione»"
    ]
    assert not Notification.objects.filter(user=bruno).exists()
    assert Follow.objects.filter(user=bruno, object_id__isnull=False).count() == 1
