"""The participation API: public reads, and participant writes with the rules of the pages."""

import json
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.consultations.models import Comment, Consultation, Section
from socialplan.opinions.models import Conversation, Statement, Vote
from socialplan.participation import services
from socialplan.participation.models import Opening, Phase, Process
from socialplan.proposals.models import Proposal, ProposalSupport

API = "/api/v1"


@pytest.fixture
def revision(torino):
    services.sync_plan_history(plan=torino, name="torino")
    process = Process.objects.create(plan=torino, slug="revisione", title_it="Revisione", title_en="Revision")
    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        code="ascolto",
        title_it="Ascolto",
        title_en="Listening",
        start_date=today - timedelta(days=3),
        end_date=today + timedelta(days=3),
        openings=[Opening.COMMENTS, Opening.PROPOSALS, Opening.SUPPORTS, Opening.OPINIONS],
    )
    now = timezone.now()
    consultation = Consultation.objects.create(
        process=process,
        slug="bozza",
        title="Bozza",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    section = Section.objects.create(consultation=consultation, heading="Appalti", body="Clausole sociali.")
    conversation = Conversation.objects.create(
        process=process,
        slug="opinioni",
        title="Opinioni",
        question="Che ne pensi?",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    statement = Statement.objects.create(conversation=conversation, text="Più appalti riservati.", status="accepted")
    author = User.objects.create_user(email="author@example.org", password="x")
    proposal = Proposal.objects.create(process=process, author=author, title="Mense", body="Con le cooperative.")
    return {
        "process": process,
        "consultation": consultation,
        "section": section,
        "conversation": conversation,
        "statement": statement,
        "proposal": proposal,
    }


def signed_in(email="participant@example.org"):
    client = Client()
    client.force_login(User.objects.create_user(email=email, password="x"))
    return client


def post(client, path, payload=None):
    return client.post(path, data=json.dumps(payload or {}), content_type="application/json")


def test_processes_are_listed_with_their_phases(client, revision):
    listing = client.get(f"{API}/processes").json()
    history = next(item for item in listing if item["is_plan_history"])
    assert [phase["code"] for phase in history["phases"]] == [f"phase-{number}" for number in range(1, 7)]
    assert history["phases"][2]["participants"] == "100+"
    detail = client.get(f"{API}/processes/revisione").json()
    assert detail["current_phase"] == "ascolto"
    assert detail["phases"][0]["openings"] == ["comments", "proposals", "supports", "opinions"]
    assert client.get(f"{API}/processes/nessuno").status_code == 404


def test_a_participant_comments_and_a_hidden_comment_shows_only_its_reason(revision):
    consultation, section = revision["consultation"], revision["section"]
    client = signed_in()
    response = post(
        client, f"{API}/consultations/{consultation.pk}/comments", {"body": "<b>Sì</b>", "section_id": section.pk}
    )
    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    assert (comment.body, comment.section_id) == ("<b>Sì</b>", section.pk)
    reply = post(
        client, f"{API}/consultations/{consultation.pk}/comments", {"body": "Anche io", "parent_id": comment.pk}
    )
    assert reply.json()["parent_id"] == comment.pk
    Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now(), hidden_reason="Fuori tema")
    read = Client().get(f"{API}/consultations/{consultation.pk}").json()
    hidden = next(item for item in read["comments"] if item["id"] == comment.pk)
    assert (hidden["body"], hidden["hidden_reason"]) == (None, "Fuori tema")
    assert read["sections"][0]["body"] == "Clausole sociali."


def test_comments_are_refused_with_reasons(revision):
    consultation = revision["consultation"]
    path = f"{API}/consultations/{consultation.pk}/comments"
    assert post(Client(), path, {"body": "x"}).status_code == 401
    client = signed_in()
    empty = post(client, path, {"body": "   "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["loc"][-1] == "body"
    assert post(client, path, {"body": "x", "section_id": 999999}).status_code == 422
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    closed = post(client, path, {"body": "Tardi"})
    assert closed.status_code == 403 and "chiusa" in closed.json()["detail"]
    assert not Comment.objects.exists()


@override_settings(PARTICIPATION_RATE_LIMITS={"comment": (2, 600)})
def test_a_flood_of_comments_is_stopped(revision):
    client = signed_in()
    path = f"{API}/consultations/{revision['consultation'].pk}/comments"
    codes = [post(client, path, {"body": f"Commento {number}"}).status_code for number in range(4)]
    assert codes == [201, 201, 429, 429]
    assert Comment.objects.count() == 2


def test_a_second_support_counts_once(revision):
    proposal = revision["proposal"]
    client = signed_in()
    first = post(client, f"{API}/proposals/{proposal.pk}/supports").json()
    second = post(client, f"{API}/proposals/{proposal.pk}/supports").json()
    assert (first["added"], second["added"], second["supports"]) == (True, False, 1)
    assert ProposalSupport.objects.count() == 1
    listed = Client().get(f"{API}/processes/revisione/proposals").json()
    assert (listed[0]["title"], listed[0]["supports"], listed[0]["status"]) == ("Mense", 1, "evaluating")


def test_voting_again_changes_the_vote(revision):
    conversation, statement = revision["conversation"], revision["statement"]
    client = signed_in()
    path = f"{API}/conversations/{conversation.pk}/votes"
    assert post(client, path, {"statement_id": statement.pk, "value": 1}).json()["value"] == 1
    assert post(client, path, {"statement_id": statement.pk, "value": -1}).json()["value"] == -1
    assert post(client, path, {"statement_id": statement.pk, "value": 7}).status_code == 422
    assert Vote.objects.get().value == -1
    read = Client().get(f"{API}/conversations/{conversation.pk}").json()
    assert read["statements"] == [{"id": statement.pk, "text": statement.text, "agree": 0, "disagree": 1, "passed": 0}]
    assert read["groups"] is None
    Conversation.objects.filter(pk=conversation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert post(client, path, {"statement_id": statement.pk, "value": 1}).status_code == 403
    assert Vote.objects.get().value == -1


def test_a_participant_annotates_a_passage_and_reads_it_back(revision):
    consultation, section = revision["consultation"], revision["section"]
    path = f"{API}/consultations/{consultation.pk}/sections/{section.pk}/annotations"
    assert post(Client(), path, {"quote": "Clausole", "body": "Quali?"}).status_code == 401
    client = signed_in()
    created = post(client, path, {"quote": "Clausole", "body": "Quali clausole?"})
    assert created.status_code == 201, created.content
    assert (created.json()["start"], created.json()["end"]) == (0, 8)
    missing = post(client, path, {"quote": "Non c'è", "body": "?"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"][-1] == "quote"
    other = post(
        client, f"{API}/consultations/{consultation.pk}/sections/999999/annotations", {"quote": "x", "body": "y"}
    )
    assert other.status_code == 404
    read = Client().get(f"{API}/consultations/{consultation.pk}").json()
    assert [(item["quote"], item["body"]) for item in read["annotations"]] == [("Clausole", "Quali clausole?")]
    consultation.refresh_from_db()
    assert consultation.annotation_count == 1


def test_a_participant_proposes_under_a_theme_and_bad_proposals_are_refused(revision):
    path = f"{API}/processes/revisione/proposals"
    client = signed_in()
    created = post(client, path, {"title": "Sportello unico", "body": "Per gli enti.", "theme": "social-procurement"})
    assert created.status_code == 201, created.content
    assert (created.json()["theme"], created.json()["status"]) == ("social-procurement", "evaluating")
    assert post(client, path, {"title": "", "body": "x"}).json()["errors"][0]["loc"][-1] == "title"
    assert post(client, path, {"title": "x" * 500, "body": "x"}).status_code == 422
    assert post(client, path, {"title": "T", "body": "x", "theme": "nessuno"}).json()["errors"][0]["loc"][-1] == "theme"
    assert Proposal.objects.filter(title="Sportello unico").count() == 1
    assert Proposal.objects.count() == 2  # the fixture's and the one created


def test_a_participant_adds_a_statement_that_waits_for_moderation(revision):
    conversation = revision["conversation"]
    client = signed_in()
    created = post(client, f"{API}/conversations/{conversation.pk}/statements", {"text": "Più orti urbani"})
    assert created.status_code == 201 and created.json()["status"] == "pending"
    read = Client().get(f"{API}/conversations/{conversation.pk}").json()
    assert "Più orti urbani" not in [item["text"] for item in read["statements"]]
    empty = post(client, f"{API}/conversations/{conversation.pk}/statements", {"text": "  "})
    assert empty.status_code == 422


def test_a_participant_answers_a_survey_once_with_its_checks(revision):
    from socialplan.engagement.models import Choice, Question, Response, Survey

    now = timezone.now()
    survey = Survey.objects.create(
        process=revision["process"], title="Parere", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    single = Question.objects.create(survey=survey, order=1, kind="single", text="Quale tema?")
    choices = [Choice.objects.create(question=single, order=n, label=label) for n, label in enumerate(["A", "B"])]
    several = Question.objects.create(survey=survey, order=2, kind="multiple", text="Quali?", max_choices=1)
    Choice.objects.create(question=several, order=1, label="C")
    Choice.objects.create(question=several, order=2, label="D")
    text = Question.objects.create(survey=survey, order=3, kind="short_text", text="Perché?", required=False)
    read = Client().get(f"{API}/surveys/{survey.pk}").json()
    assert [question["kind"] for question in read["questions"]] == ["single", "multiple", "short_text"]
    path = f"{API}/surveys/{survey.pk}/responses"
    client = signed_in()
    several_ids = [choice["id"] for choice in read["questions"][1]["choices"]]
    too_many = post(client, path, {"answers": {single.pk: choices[0].pk, several.pk: several_ids}})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["loc"][-1] == f"answers.{several.pk}"
    missing = post(client, path, {"answers": {several.pk: several_ids[:1]}})
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"][-1] == f"answers.{single.pk}"
    assert post(client, path, {"answers": {999999: "x"}}).status_code == 422
    answer = {"answers": {single.pk: choices[1].pk, several.pk: several_ids[:1], text.pk: "Perché sì"}}
    assert post(client, path, answer).status_code == 201
    again = post(client, path, answer)
    assert again.status_code == 403
    response = Response.objects.get()
    assert [choice.label for choice in response.answers.get(question=single).choices.all()] == ["B"]
    assert response.answers.get(question=text).text == "Perché sì"
