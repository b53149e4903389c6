"""The demo engagement of the demo process, and the section it adds to the process page."""

import pytest
from django.urls import reverse
from django.utils import translation

from socialplan.engagement import demo
from socialplan.engagement.models import Interview, Meeting, Question, Registration, Response, Survey
from socialplan.engagement.selectors import meetings_of, seats_left
from socialplan.participation.demo import demo_participants
from socialplan.participation.models import Process


@pytest.fixture
def demo_process(torino):
    from socialplan.participation.demo import DEMO_PROCESS_SLUG

    return Process.objects.create(plan=torino, slug=DEMO_PROCESS_SLUG, title="Demo")


def test_the_demo_loads_once_and_is_removed(client, torino, demo_process):
    participants, _ = demo_participants(count=110)
    summary = demo.load_demo(demo_process, participants)
    assert summary == "engagement: 1 survey (80 responses), 3 meetings, 8 interviews"
    demo.load_demo(demo_process, participants)
    survey = Survey.objects.get()
    assert Response.objects.count() == 80
    assert set(survey.questions.values_list("kind", flat=True)) == set(Question.Kind.values)
    meetings = {meeting.title: meeting for meeting in meetings_of(plan=torino)}
    assert len(meetings) == 3
    past = next(meeting for meeting in meetings.values() if meeting.is_past())
    assert past.minutes_published and past.registrations.filter(attended=True).count() == 21
    assert min(seats_left(meeting) for meeting in meetings.values()) == 1  # one nearly full
    assert Interview.objects.count() == 8 and Interview.objects.filter(summary_public=True).count() == 2

    with translation.override("en"):
        page = client.get(reverse("participation:process", args=[demo_process.slug])).content.decode()
    assert survey.title in page
    assert "8 interviews recorded." in page
    assert "Tavolo tematico: appalti sociali" in page

    assert demo.remove_demo() > 0
    assert not (Survey.objects.exists() or Meeting.objects.exists() or Interview.objects.exists())
    assert not Registration.objects.exists() and not Response.objects.exists()
