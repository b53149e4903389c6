"""The public pages of the plan's versions: the list, a version's changelog, the comparison of two versions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialplan.accounts.models import User
from socialplan.accounts.services import make_plan_editor
from socialplan.ecosystem.models import Organization
from socialplan.plan.models import Action, Objective, Plan, PlanVersion
from socialplan.plan.services import ChangeReason, add_changelog_source, load_plan, publish_version

from .factories import grow_plan
from .test_pages import get_text, plain

SP_S1 = "social-procurement/sp-o1/sp-s1"
OLD_PART = "Promuovere il ruolo degli appalti pubblici come"
NEW_TITLE = "Promuovere il ruolo degli appalti pubblici come leva di integrazione di criteri sociali"


def change_the_plan() -> None:
    """Version 2's changes: sp-s1 retitled (in Italian) and a new action under the same objective."""
    action = Action.objects.get(code="sp-s1")
    action.title_it = NEW_TITLE
    action.save()
    Action.objects.create(
        objective=Objective.objects.get(code="sp-o1"),
        code="sp-s9",
        order=9,
        title_it="Sportello per gli appalti sociali",
        title_en="Help desk for social procurement",
    )


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_user(email="office@example.org", password="x", is_staff=True, is_superuser=True)


@pytest.fixture
def two_versions(torino: Plan, editor: User) -> Plan:
    publish_version(plan=torino, user=editor, summary_it="Prima versione del piano", summary_en="First version")
    change_the_plan()
    version = publish_version(
        plan=torino,
        user=editor,
        summary_it="Revisione dopo il tavolo sugli appalti",
        summary_en="Revision after the procurement table",
        reasons={f"action:{SP_S1}": ChangeReason(it="Titolo chiarito dal tavolo", en="Title clarified by the table")},
    )
    entry = version.changelog.get(element_key=SP_S1)
    add_changelog_source(entry=entry, label="Tavolo appalti del 12/03/2025", url="https://example.org/tavolo")
    add_changelog_source(entry=entry, contribution=Organization.objects.create(legal_name="Coop Uno"))
    return torino


def test_the_list_shows_every_version_with_its_date_summary_and_changes(client, two_versions):
    text = plain(get_text(client, "/piano/versioni/"))
    assert "Versione 2" in text and "Versione 1" in text
    assert "Revisione dopo il tavolo sugli appalti" in text and "2 modifiche" in text and "prima versione" in text

    english = plain(get_text(client, "/en/piano/versioni/"))
    assert "Revision after the procurement table" in english and "2 changes" in english


def test_a_version_shows_its_changelog_with_reasons_and_sources(client, two_versions):
    text = get_text(client, "/piano/versioni/2/")
    words = plain(text)
    assert "Versione 2 del piano" in words and "Social procurement" in words
    assert "Modificato" in words and "Aggiunto" in words and "Sportello per gli appalti sociali" in words
    assert "Campi modificati: Titolo (italiano)" in words
    assert "Titolo chiarito dal tavolo" in words
    assert '<a href="https://example.org/tavolo">Tavolo appalti del 12/03/2025</a>' in text and "Coop Uno" in words
    assert "non ha ancora scritto la motivazione" in words  # the new action has no reason yet

    english = plain(get_text(client, "/en/piano/versioni/2/"))
    assert "Title clarified by the table" in english and "Help desk for social procurement" in english


def test_version_1_says_everything_in_it_is_new(client, two_versions):
    assert "tutto ciò che contiene è nuovo" in plain(get_text(client, "/piano/versioni/1/"))


def test_the_comparison_shows_exactly_the_two_changes_before_and_after(client, two_versions):
    text = plain(get_text(client, "/piano/versioni/confronta/?da=1&a=2"))
    assert "Dalla versione 1 alla versione 2" in text and "2 modifiche." in text
    assert "Modificato Azione:" in text and "Aggiunto Azione: Sportello per gli appalti sociali" in text
    assert "Titolo (italiano)" in text and "Titolo (inglese)" not in text
    marked = re.sub(r"\s+([,\]])", r"\1", text)  # the spaces plain() leaves before punctuation
    assert f"Prima: {OLD_PART} [eliminato: strumento, fine del testo eliminato] di integrazione" in marked
    assert f"Dopo: {OLD_PART} [aggiunto: leva, fine del testo aggiunto] di integrazione" in marked
    assert Action.objects.get(code="sp-s2").title_it not in text  # unchanged actions are not listed


def test_without_numbers_the_comparison_is_between_the_latest_two(client, two_versions):
    assert "Dalla versione 1 alla versione 2" in plain(get_text(client, "/piano/versioni/confronta/"))
    assert "From version 1 to version 2" in plain(get_text(client, "/en/piano/versioni/confronta/"))


def test_the_comparison_works_backwards_too(client, two_versions):
    text = plain(get_text(client, "/piano/versioni/confronta/?da=2&a=1"))
    assert "Eliminato Azione: Sportello per gli appalti sociali" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?da=1&a=9", "Non esiste la versione 9 del piano."),
        ("?da=uno&a=2", "Non esiste la versione uno del piano."),
        ("?da=0&a=99999999999999999999999", "Non esistono le versioni 0, 99999999999999999999"),
        ("?da=1", "Scegli entrambe le versioni"),
        ("?da=&a=", "Scegli entrambe le versioni"),
    ],
)
def test_unknown_versions_are_named_on_a_404_page_never_an_error(client, two_versions, query, message):
    text = plain(get_text(client, f"/piano/versioni/confronta/{query}", status=404))
    assert message in text and "Scegli due delle versioni qui sotto." in text


@pytest.mark.parametrize("path", ["/piano/versioni/3/", "/piano/versioni/0/", "/piano/versioni/99999999999999999999/"])
def test_a_version_that_does_not_exist_is_not_found(client, two_versions, path):
    assert client.get(path).status_code == 404


def test_with_one_version_there_is_nothing_to_compare(client, torino, editor):
    publish_version(plan=torino, user=editor, summary_it="Prima")
    assert "una sola versione" in plain(get_text(client, "/piano/versioni/confronta/"))


def test_without_versions_the_list_says_so(client, torino):
    assert "Non è ancora stata pubblicata alcuna versione" in plain(get_text(client, "/piano/versioni/"))


def test_the_explorer_links_to_the_versions(client, two_versions):
    assert 'href="/piano/versioni/"' in get_text(client, "/piano/")


def test_version_1_and_version_2_of_the_loaded_turin_plan_read_as_a_correct_diff(client, db):
    """End to end: load the plan (version 1), edit it, publish version 2 in the back office, read the diff."""
    load_plan(name="torino")
    change_the_plan()
    office = User.objects.create_user(email="office@example.org", password="x")
    make_plan_editor(user=office)
    client.force_login(office)
    plan = Plan.objects.get(slug="torino")
    form = client.get(f"/admin/plan/plan/{plan.pk}/publish/")
    assert form.status_code == 200
    body = form.content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', body).group(1)
    response = client.post(
        f"/admin/plan/plan/{plan.pk}/publish/",
        {
            "digest": digest,
            "summary_it": "Seconda versione",
            "summary_en": "Second version",
            "reason_it_0": "Titolo più chiaro",
            "reason_en_0": "",
            "reason_it_1": "Nuova azione proposta",
            "reason_en_1": "",
        },
    )
    assert response.status_code == 302
    client.logout()

    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [(v.number, v.summary_it) for v in versions] == [(1, "Prima versione del piano"), (2, "Seconda versione")]
    text = plain(get_text(client, "/piano/versioni/confronta/?da=1&a=2"))
    assert "2 modifiche." in text
    kinds = "Azione|Obiettivo|Tema|Piano|Tappa|Strumento"
    changes = re.findall(rf"(Aggiunto|Eliminato|Modificato|Spostato) ({kinds}):", text)
    assert changes == [("Modificato", "Azione"), ("Aggiunto", "Azione")]
    assert "Sportello per gli appalti sociali" in text and "Titolo (italiano)" in text
    reasons = plain(get_text(client, "/piano/versioni/2/"))
    assert "Titolo più chiaro" in reasons and "Nuova azione proposta" in reasons


# Query budget: the same number of queries with the Turin plan and with ten times its data.


def count_queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("language", ["it", "en"])
def test_version_pages_cost_the_same_queries_with_ten_times_the_plan(client, two_versions, editor, language):
    prefix = "/en" if language == "en" else ""
    paths = [
        f"{prefix}/piano/versioni/",
        f"{prefix}/piano/versioni/{{n}}/",
        f"{prefix}/piano/versioni/confronta/?da=1&a={{n}}",
    ]
    before = [count_queries(client, path.format(n=2)) for path in paths]

    grow_plan(two_versions, factor=10)
    version = publish_version(plan=two_versions, user=editor, summary_it="Piano cresciuto")
    for entry in version.changelog.all()[:20]:
        add_changelog_source(entry=entry, label="Consultazione", url="https://example.org/consultazione")
        add_changelog_source(entry=entry, contribution=Organization.objects.get())
    assert version.changelog.count() > 100
    after = [count_queries(client, path.format(n=3)) for path in paths]

    assert after == before
