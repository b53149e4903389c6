"""Interview records: the public sees the published summaries, only the plan office sees confidential notes."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import translation

from socialplan.engagement.models import Interview
from socialplan.engagement.selectors import process_engagement

NOTE = "NOTA-RISERVATA"


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_the_process_page_lists_public_summaries_without_confidential_notes(client, process, interview):
    Interview.objects.create(
        process=process,
        stakeholder="Anna Bianchi",
        organization_name="Fondazione Esempio",
        held_on=interview.held_on,
        summary="Sintesi non pubblica",
        confidential_notes=f"{NOTE} bis",
    )
    page = client.get(url("participation:process", process.slug)).content.decode()
    assert "2 interviews recorded." in page
    assert "Servono più affidamenti riservati." in page and "Cooperativa Esempio" in page
    assert "Sintesi non pubblica" not in page
    assert NOTE not in page
    assert "Mario Rossi" not in page  # the person's name stays in the office


@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator", "member"])
def test_public_and_participant_pages_never_show_confidential_notes(client, roles, interview, meeting, role):
    user = getattr(roles, role)
    if user is not None:
        client.force_login(user)
    pages = [
        url("participation:process", interview.process.slug),
        url("engagement:meetings"),
        url("engagement:meeting", meeting.pk),
        url("engagement:interviews"),
    ]
    for path in pages:
        response = client.get(path)
        assert NOTE not in response.content.decode(), path
    office = client.get(url("engagement:interviews"))
    assert office.status_code == (302 if user is None else 403)


def test_the_office_list_shows_the_confidential_notes_to_the_plan_office(client, roles, interview):
    client.force_login(roles.editor)
    page = client.get(url("engagement:interviews")).content.decode()
    assert "Mario Rossi" in page and NOTE in page


def test_the_admin_enters_interviews_with_confidential_notes(client, roles, process):
    assert "confidential_notes" in site._registry[Interview].fields
    client.force_login(roles.admin)
    response = client.post(
        url("admin:engagement_interview_add"),
        {
            "process": process.pk,
            "stakeholder": "Luca Verdi",
            "organization_name": "Impresa sociale Esempio",
            "held_on": "2026-11-20",
            "summary": "Sintesi",
            "confidential_notes": "Note",
            "element_keys": "[]",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    interview = Interview.objects.get(stakeholder="Luca Verdi")
    assert interview.author == roles.admin and interview.interviewer == roles.admin
    assert process_engagement(process).interview_count == 1
