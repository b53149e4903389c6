"""Meetings: seats up to capacity, cancelling, attendance and minutes by the office only, the calendar file."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.engagement import services
from socialplan.engagement.models import Meeting, Registration
from socialplan.engagement.selectors import registrations_of


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_seats_fill_to_capacity_then_the_next_is_refused(client, meeting, people):
    for person in people[:2]:
        client.force_login(person)
        client.post(url("engagement:meeting_register", meeting.pk))
    client.force_login(people[2])
    page = client.post(url("engagement:meeting_register", meeting.pk), follow=True).content.decode()
    assert "This meeting is full: no seats are left." in page
    assert Registration.objects.filter(meeting=meeting, cancelled_at__isnull=True).count() == 2
    assert not Registration.objects.filter(user=people[2]).exists()


def test_registering_twice_keeps_one_seat(meeting, people):
    services.register(meeting=meeting, user=people[0])
    services.register(meeting=meeting, user=people[0])
    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert services.seats_taken(meeting) == 1


def test_cancelling_frees_a_seat_for_someone_else(client, meeting, people):
    services.register(meeting=meeting, user=people[0])
    services.register(meeting=meeting, user=people[1])
    with pytest.raises(services.MeetingFull):
        services.register(meeting=meeting, user=people[2])
    client.force_login(people[0])
    page = client.get(url("engagement:meeting", meeting.pk)).content.decode()
    assert "You are registered for this meeting." in page and "Full: no seats left" in page
    client.post(url("engagement:meeting_cancel", meeting.pk))
    assert "1 seat left" in client.get(url("engagement:meeting", meeting.pk)).content.decode()
    services.register(meeting=meeting, user=people[2])
    assert services.seats_taken(meeting) == 2
    with pytest.raises(services.MeetingFull):  # the one who cancelled finds the seat taken
        services.register(meeting=meeting, user=people[0])


def test_registration_is_refused_once_the_meeting_started(client, meeting, people):
    meeting.starts_at = timezone.now() - timedelta(minutes=5)
    meeting.save()
    client.force_login(people[0])
    page = client.post(url("engagement:meeting_register", meeting.pk), follow=True).content.decode()
    assert "Registration for this meeting is closed." in page
    assert not Registration.objects.exists()


def test_anonymous_visitors_must_sign_in_to_register(client, meeting):
    assert "Sign in to register" in client.get(url("engagement:meeting", meeting.pk)).content.decode()
    response = client.post(url("engagement:meeting_register", meeting.pk))
    assert response.status_code == 302 and "login" in response.url
    assert client.get(url("engagement:meeting_register", meeting.pk)).status_code in (302, 405)


def test_the_list_separates_upcoming_and_past_meetings(client, meeting, process):
    past = Meeting.objects.create(
        process=process,
        title="Incontro passato",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
        online_url="https://meet.example.org/x",
    )
    page = client.get(url("engagement:meetings")).content.decode()
    assert page.index(meeting.title) < page.index("Past") < page.index(past.title)
    assert "2 seats left" in page


def _office_setting(roles, meeting, people):
    for person in people[:2]:
        services.register(meeting=meeting, user=person)
    meeting.starts_at = timezone.now() - timedelta(hours=3)
    meeting.ends_at = timezone.now() - timedelta(hours=1)
    meeting.save()
    return {registration.user_id: registration for registration in meeting.registrations.all()}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("editor", True), ("moderator", True), ("coordinator", False), ("participant", False)],
)
def test_attendance_and_minutes_are_for_the_office_and_moderators(client, roles, meeting, people, role, allowed):
    registrations = _office_setting(roles, meeting, people)
    if role == "moderator":
        user = people[3]
        meeting.process.moderators.add(user)
    else:
        user = getattr(roles, role)
    client.force_login(user)
    first, second = registrations[people[0].pk], registrations[people[1].pk]
    office = url("engagement:meeting_office", meeting.pk)
    attendance = client.post(
        office, {"form": "attendance", f"attended-{first.pk}": "yes", f"attended-{second.pk}": "no"}
    )
    minutes = client.post(office, {"form": "minutes", "minutes": "Verbale: 2 iscritti, 1 presente.", "published": "on"})
    first.refresh_from_db()
    second.refresh_from_db()
    meeting.refresh_from_db()
    if allowed:
        assert attendance.status_code == minutes.status_code == 302
        assert (first.attended, second.attended) == (True, False)
        assert meeting.minutes_published
        assert "Verbale: 2 iscritti, 1 presente." in client.get(url("engagement:meeting", meeting.pk)).content.decode()
    else:
        assert attendance.status_code == minutes.status_code == client.get(office).status_code == 403
        assert first.attended is None and second.attended is None
        assert not meeting.minutes_published and meeting.minutes == ""


def test_minutes_are_published_only_after_the_meeting(client, roles, meeting):
    client.force_login(roles.editor)
    office = url("engagement:meeting_office", meeting.pk)
    response = client.post(office, {"form": "minutes", "minutes": "Verbale anticipato", "published": "on"})
    assert response.status_code == 400
    assert "once the meeting has taken place" in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.minutes_published
    assert "Verbale anticipato" not in client.get(url("engagement:meeting", meeting.pk)).content.decode()


def test_anonymous_visitors_cannot_open_the_office_page(client, meeting):
    response = client.get(url("engagement:meeting_office", meeting.pk))
    assert response.status_code == 302 and "login" in response.url


def test_the_calendar_file_follows_rfc_5545(client, meeting):
    meeting.title = "Incontro di zona, Circoscrizione 6; " + "tavoli tematici " * 6
    meeting.agenda = "17:30 Accoglienza\n18:00 Tavoli"
    meeting.save()
    response = client.get(url("engagement:meeting_ics", meeting.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    start = meeting.starts_at.astimezone(UTC)
    assert f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}" in unfolded
    assert f"UID:meeting-{meeting.pk}@testserver" in unfolded
    assert "SUMMARY:Incontro di zona\\, Circoscrizione 6\\; tavoli tematici" in unfolded
    assert "DESCRIPTION:17:30 Accoglienza\\n18:00 Tavoli" in unfolded
    assert "LOCATION:Via Roma 1\\, Torino" in unfolded
    assert f"URL:http://testserver{url('engagement:meeting', meeting.pk)}" in unfolded


def test_a_persons_registrations_are_in_their_data_and_go_with_the_account(meeting, people):
    services.register(meeting=meeting, user=people[0])
    assert [row["meeting"] for row in registrations_of(people[0])] == ["Incontro di zona"]
    people[0].delete()
    assert not Registration.objects.exists()
