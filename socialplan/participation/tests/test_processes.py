"""Processes and phases: the plan's own history as the first process, the public pages, the demo."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.participation import services
from socialplan.participation.demo import DEMO_PROCESS_SLUG, load_participation_demo
from socialplan.participation.models import Opening, Phase, Process


def url(name: str, *args: object, language: str = "it") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def history(torino):
    return services.sync_plan_history(plan=torino, name="torino").process


def test_the_plan_history_is_the_first_process_with_the_six_phases(torino, history):
    phases = list(history.phases.all())
    assert history.is_plan_history
    assert [phase.code for phase in phases] == [f"phase-{number}" for number in range(1, 7)]
    interviews, event, consultation = phases[1], phases[2], phases[3]
    assert (interviews.participants, interviews.figure) == (30, "30")
    assert event.figure == "100+"
    assert event.start_date == event.end_date == date(2024, 12, 4)
    assert consultation.title_it == "IV fase: consultazione online aperta a tutt*"
    assert consultation.title_en == "Phase IV: online consultation open to everyone"
    assert consultation.openings == ["comments", "proposals", "supports", "surveys"]
    assert interviews.openings == [Opening.INTERVIEWS]


def test_loading_twice_changes_nothing_and_follows_the_plan(torino, history):
    first = {phase.pk: (phase.code, phase.start_date) for phase in history.phases.all()}
    torino.phases.filter(code="phase-6").delete()
    report = services.sync_plan_history(plan=torino, name="torino")
    assert report.created is False
    assert Process.objects.filter(plan=torino).count() == 1
    after = {phase.pk: (phase.code, phase.start_date) for phase in history.phases.all()}
    assert after == {pk: value for pk, value in first.items() if value[0] != "phase-6"}


def test_command_reports_a_missing_plan_and_a_wrong_content_file(db, torino, tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="No plan 'milano'"):
        call_command("load_processes", "milano")
    (tmp_path / "torino.yaml").write_text("process:\n  slug: x\nopenings:\n  phase-1: [dancing]\n", encoding="utf-8")
    monkeypatch.setattr(services, "CONTENT_DIR", tmp_path)
    with pytest.raises(CommandError, match=r"torino.yaml: openings.phase-1: unknown kinds \['dancing'\]"):
        call_command("load_processes", "torino")
    assert not Process.objects.exists()


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_process_page_shows_the_six_phases_in_both_languages(client, history, language):
    response = client.get(url("participation:process", history.slug, language=language))
    assert response.status_code == 200
    page = response.content.decode()
    titles = [phase.title_it if language == "it" else phase.title_en for phase in history.phases.all()]
    positions = [page.index(title.replace("'", "&#x27;")) for title in titles]
    assert positions == sorted(positions)
    assert "100+" in page
    listing = client.get(url("participation:processes", language=language)).content.decode()
    assert history.get_absolute_url().removeprefix("/") in listing
    assert (history.title_it if language == "it" else history.title_en) in listing


def test_unpublished_and_unknown_processes_are_not_found(client, history):
    history.published = False
    history.save()
    assert client.get(url("participation:process", history.slug)).status_code == 404
    assert client.get(url("participation:process", "nessuno")).status_code == 404
    assert history.title_it not in client.get(url("participation:processes")).content.decode()


def test_the_demo_process_is_open_today_and_says_what_it_opens(client, torino):
    report = load_participation_demo(plan=torino)
    again = load_participation_demo(plan=torino)
    assert (again.created, again.participants_created) == (False, 0)
    process = report.process
    assert process.slug == DEMO_PROCESS_SLUG
    assert process.is_open_for(Opening.COMMENTS)
    assert not process.is_open_for(Opening.COMMENTS, today=timezone.localdate() + timedelta(days=60))
    assert process.current_phase().code == "ascolto"
    page = client.get(url("participation:process", process.slug)).content.decode()
    assert "in corso" in page
    assert "commenti sulle bozze" in page


def test_a_phase_cannot_end_before_it_starts(history):
    phase = Phase(process=history, code="x", title="x", start_date=date(2025, 2, 1), end_date=date(2025, 1, 1))
    with pytest.raises(Exception, match="end_date"):
        phase.full_clean()
    phase.end_date = date(2025, 3, 1)
    phase.openings = ["votes"]
    with pytest.raises(Exception, match="Unknown kinds"):
        phase.full_clean()


@override_settings(LANGUAGE_CODE="en")
def test_current_phase_is_none_between_phases(history):
    assert history.current_phase(today=date(2025, 1, 15)) == history.phases.get(code="phase-6")
    assert history.current_phase(today=date(2023, 1, 1)) is None
