"""Answering a survey (validation, once per person, only while open) and reading its results and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.accounts.models import User
from socialplan.accounts.services import make_plan_editor
from socialplan.engagement import services
from socialplan.engagement.models import Answer, Response
from socialplan.participation.models import ParticipantProfile


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def valid_answers(setting) -> dict[str, object]:
    return {
        f"q{setting.single.pk}": setting.choice(setting.single, "Cooperativa").pk,
        f"q{setting.multiple.pk}": [
            setting.choice(setting.multiple, "Casa").pk,
            setting.choice(setting.multiple, "Lavoro").pk,
        ],
        f"q{setting.scale.pk}": "4",
        f"q{setting.yes_no.pk}": "yes",
        f"q{setting.number.pk}": "12",
        f"q{setting.short.pk}": "casa",
        f"q{setting.long.pk}": "Più spazi per le associazioni.",
    }


def answer(setting, user, overrides=None):
    values = {
        setting.single.pk: str(setting.choice(setting.single, "Cittadina").pk),
        setting.multiple.pk: [str(setting.choice(setting.multiple, "Casa").pk)],
        setting.scale.pk: 3,
        setting.yes_no.pk: "no",
    }
    values.update(overrides or {})
    return services.submit_response(survey=setting.survey, author=user, values=values)


def test_a_participant_answers_every_kind_of_question(client, setting, people):
    client.force_login(people[0])
    response = client.post(url("engagement:survey", setting.survey.pk), valid_answers(setting))
    assert response.status_code == 302
    assert response.url == url("engagement:results", setting.survey.pk)
    stored = Response.objects.get(survey=setting.survey, author=people[0])
    answers = {answer.question_id: answer for answer in stored.answers.all()}
    assert [c.label for c in answers[setting.single.pk].choices.all()] == ["Cooperativa"]
    assert sorted(c.label for c in answers[setting.multiple.pk].choices.all()) == ["Casa", "Lavoro"]
    assert answers[setting.scale.pk].number == 4
    assert answers[setting.yes_no.pk].number == 1
    assert answers[setting.number.pk].number == 12
    assert "Più spazi per le associazioni." in stored.text and "casa" in stored.text


def test_the_form_shows_fieldsets_and_marks_required_questions(client, setting, people):
    client.force_login(people[0])
    page = client.get(url("engagement:survey", setting.survey.pk)).content.decode()
    assert page.count("<fieldset") == 4  # single, multiple, scale, yes/no
    assert "<legend" in page and "1 (poco)" in page and "5 (molto)" in page
    assert page.count("(required)") >= 4
    assert "Choose at most 2 options." in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("missing-single", "single", "This field is required."),
        ("too-many", "multiple", "Choose at most 2 options (you chose 3)."),
        ("scale-7", "scale", "Select a valid choice. 7 is not one of the available choices."),
        ("wrong-choice", "single", "is not one of the available choices."),
        ("long-text", "short", "Ensure this value has at most 200 characters"),
    ],
)
def test_invalid_answers_are_refused_per_question(client, setting, people, change, field, message):
    data = valid_answers(setting)
    question = getattr(setting, field)
    if change == "missing-single":
        del data[f"q{question.pk}"]
    elif change == "too-many":
        data[f"q{question.pk}"] = [choice.pk for choice in question.choices.all()]
    elif change == "scale-7":
        data[f"q{question.pk}"] = "7"
    elif change == "wrong-choice":
        data[f"q{question.pk}"] = setting.choice(setting.multiple, "Appalti").pk  # a choice of another question
    else:
        data[f"q{question.pk}"] = "x" * 201
    client.force_login(people[0])
    response = client.post(url("engagement:survey", setting.survey.pk), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert f'id="id_q{question.pk}_error"' in page
    assert not Response.objects.exists()


def test_one_response_per_person(client, setting, people):
    client.force_login(people[0])
    client.post(url("engagement:survey", setting.survey.pk), valid_answers(setting))
    again = client.post(url("engagement:survey", setting.survey.pk), valid_answers(setting), follow=True)
    assert "only one response per person" in again.content.decode()
    assert Response.objects.filter(author=people[0]).count() == 1
    with pytest.raises(services.AlreadyAnswered):
        answer(setting, people[0])
    assert Response.objects.count() == 1 and Answer.objects.filter(response__author=people[0]).count() == 7


def test_a_closed_survey_refuses_answers(client, setting, people):
    survey = setting.survey
    survey.opens_at = timezone.now() - timedelta(days=10)
    survey.closes_at = timezone.now() - timedelta(days=1)
    survey.save()
    client.force_login(people[0])
    page = client.get(url("engagement:survey", survey.pk)).content.decode()
    assert "This survey is closed" in page and '<form method="post" novalidate' not in page
    response = client.post(url("engagement:survey", survey.pk), valid_answers(setting), follow=True)
    assert "This survey is closed" in response.content.decode()
    assert not Response.objects.exists()
    with pytest.raises(services.SurveyClosed):
        answer(setting, people[1])


def test_anonymous_visitors_are_asked_to_sign_in(client, setting):
    page = client.get(url("engagement:survey", setting.survey.pk)).content.decode()
    assert "Sign in to answer" in page
    response = client.post(url("engagement:survey", setting.survey.pk), valid_answers(setting))
    assert response.status_code == 302 and "login" in response.url
    assert not Response.objects.exists()


def test_results_show_counts_and_shares(client, setting, people):
    answer(setting, people[0])
    answer(setting, people[1], {setting.single.pk: str(setting.choice(setting.single, "Cooperativa").pk)})
    answer(setting, people[2], {setting.scale.pk: 5, setting.long.pk: "Aprire le scuole."})
    page = client.get(url("engagement:results", setting.survey.pk)).content.decode()
    assert "3 responses." in page
    single = page[page.index("Chi sei?") : page.index("Quali temi?")]
    assert "2 (67%)" in single and "1 (33%)" in single
    assert 'width="66.7%"' in single
    scale = page[page.index("Quanto conosci") : page.index("Hai partecipato")]
    assert "Average: 3.7" in scale
    assert "Aprire le scuole." in page


def test_hidden_answers_show_the_reason_instead_of_the_text(client, setting, people):
    response = answer(setting, people[0], {setting.long.pk: "Testo offensivo"})
    response.hidden_at = timezone.now()
    response.hidden_reason = "linguaggio offensivo"
    response.save()
    page = client.get(url("engagement:results", setting.survey.pk)).content.decode()
    assert "Testo offensivo" not in page
    assert "Hidden by the moderators: linguaggio offensivo" in page


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_response_and_no_author_when_anonymous(client, setting, people):
    ParticipantProfile.objects.create(user=people[0], display_name="Giulia B.")
    answer(setting, people[0], {setting.number.pk: 12, setting.short.pk: "=SUM(A1)"})
    answer(setting, people[1])
    response = client.get(url("engagement:results_csv", setting.survey.pk))
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0] == ["Response", "Date", *[q.text for q in setting.survey.questions.all()]]
    assert len(rows) == 3
    assert rows[1][2:] == ["Cittadina", "Casa", "3", "No", "12", "'=SUM(A1)", ""]
    assert "Giulia B." not in response.content.decode()

    office = User.objects.create_user(email="ufficio@example.org", password="x")
    make_plan_editor(user=office)
    client.force_login(office)
    rows = _csv(client.get(url("engagement:results_csv", setting.survey.pk)))
    assert rows[0][2] == "Author" and rows[1][2] == "Giulia B."


def test_the_csv_names_authors_when_results_are_not_anonymous(client, setting, people):
    setting.survey.anonymous_results = False
    setting.survey.save()
    ParticipantProfile.objects.create(user=people[0], display_name="Giulia B.")
    answer(setting, people[0])
    rows = _csv(client.get(url("engagement:results_csv", setting.survey.pk)))
    assert rows[0][2] == "Author" and rows[1][2] == "Giulia B."


@override_settings(PARTICIPATION_RATE_LIMITS={"survey": (0, 3600)})
def test_answers_past_the_rate_limit_get_a_429_and_are_not_stored(client, setting, people):
    client.force_login(people[0])
    response = client.post(url("engagement:survey", setting.survey.pk), valid_answers(setting))
    assert response.status_code == 429
    assert "Too many contributions in a short time" in response.content.decode()
    assert not Response.objects.exists()
