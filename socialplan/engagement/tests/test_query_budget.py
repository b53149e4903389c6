"""The results and meetings pages read the database a fixed number of times, however many answers and seats."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.engagement import services
from socialplan.engagement.models import Meeting


def _queries(client, path: str) -> int:
    client.get(path)  # per-process caches (content types) warmed, as on a running site
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def _answer(setting, start: int, count: int) -> None:
    for number in range(start, start + count):
        person = User.objects.create_user(email=f"r{number}@example.org", password="x")
        services.submit_response(
            survey=setting.survey,
            author=person,
            values={
                setting.single.pk: str(setting.choice(setting.single, "Cittadina").pk),
                setting.multiple.pk: [str(setting.choice(setting.multiple, "Casa").pk)],
                setting.scale.pk: 2,
                setting.yes_no.pk: "yes",
                setting.number.pk: number,
                setting.short.pk: f"parola {number}",
                setting.long.pk: f"Suggerimento {number}",
            },
        )


def _meetings(process, start: int, count: int) -> None:
    for number in range(start, start + count):
        begins = timezone.now() + timedelta(days=number + 1)
        meeting = Meeting.objects.create(
            process=process, title=f"Incontro {number}", starts_at=begins, ends_at=begins, place="Torino", capacity=9
        )
        services.register(meeting=meeting, user=User.objects.create_user(email=f"m{number}@example.org"))


def test_the_results_page_does_not_grow_with_the_responses(client, setting):
    path = reverse("engagement:results", args=[setting.survey.pk])
    _answer(setting, 0, 2)
    few = _queries(client, path)
    _answer(setting, 2, 20)
    assert _queries(client, path) == few


def test_the_meeting_list_does_not_grow_with_the_meetings(client, process):
    path = reverse("engagement:meetings")
    _meetings(process, 0, 2)
    few = _queries(client, path)
    _meetings(process, 2, 20)
    assert _queries(client, path) == few
