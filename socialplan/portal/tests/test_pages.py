"""The public pages, read through Django's test client as a visitor would see them."""

import html
import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from socialplan.plan.models import Action, Milestone, Objective, Plan, Theme, Tool
from socialplan.plan.services import read_plan_content

from .pages import PAGE_NAMES, SOCIAL_PROCUREMENT, page_named

CONTENT = read_plan_content("torino")
PROMOTERS_IT = [promoter["name_it"] for promoter in CONTENT["promoters"]]
PROMOTERS_EN = [promoter["name_en"] for promoter in CONTENT["promoters"]]


def text_of(response) -> str:
    """The page's markup with entities decoded and whitespace collapsed, to search for visible text."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def plain(markup: str) -> str:
    """Only the words a reader sees: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


def get_text(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, f"{path} answered {response.status_code}"
    return text_of(response)


def sp_theme() -> dict:
    return next(theme for theme in CONTENT["themes"] if theme["code"] == SOCIAL_PROCUREMENT)


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize(
    ("language", "promoters", "status"),
    [("it", PROMOTERS_IT, "In attuazione"), ("en", PROMOTERS_EN, "In implementation")],
)
def test_every_page_answers_in_both_languages_with_promoters_and_status(
    client, torino, name, language, promoters, status
):
    page = page_named(torino, name)
    response = client.get(page.path(language))

    assert response.status_code == 200
    text = text_of(response)
    assert f'<html lang="{language}"' in text
    for promoter in promoters:
        assert promoter in text
    assert status in text


def test_english_pages_live_under_en_with_italian_paths(torino):
    assert page_named(torino, "explorer").path("en") == "/en/piano/"
    assert page_named(torino, "theme").path("it") == "/temi/social-procurement/"


def test_home_shows_the_real_plan(client, torino):
    text = get_text(client, "/")

    plan = CONTENT["plan"]
    assert plan["title_it"] in text
    assert re.sub(r"\s+", " ", plan["objective_it"])[:120] in text
    assert re.sub(r"\s+", " ", plan["vision_it"])[:80] in text
    for pillar in CONTENT["pillars"]:
        assert pillar["title_it"] in text
    for phase in CONTENT["phases"]:
        assert phase["name_it"] in text
        assert phase["period_label_it"] in text
    for theme in CONTENT["themes"]:
        assert theme["title_it"] in text
    assert "30 interviste agli stakeholder" in plain(text)
    assert "100+ partecipanti" in plain(text)


def test_home_distinguishes_macro_themes_from_cross_cutting_elements(client, torino):
    text = get_text(client, "/en/")

    macro, cross_cutting = text.split("Cross-cutting elements</h3>", 1)
    for theme in CONTENT["themes"]:
        section = macro if theme["kind"] == "macro" else cross_cutting
        assert theme["title_en"] in section
    assert text.count(">Macro-theme</span>") == 6
    assert text.count(">Cross-cutting element</span>") == 2


def key_figures(text: str) -> dict[str, str]:
    figures = re.findall(r'<span class="portal-figure-value">([^<]+)</span> ([^<]+?) ?</li>', text)
    return {label: value for value, label in figures}


def test_home_key_figures_are_counted_from_the_data(client, torino):
    figures = key_figures(get_text(client, "/en/"))
    assert figures == {
        "municipalities in the territory": "312",
        "macro-themes": "6",
        "cross-cutting elements": "2",
        "objectives": "3",
        "actions": "3",
        "stakeholder interviews": "30",
        "participants": "100+",
    }

    theme = Theme.objects.get(plan=torino, code="measurement")
    objective = Objective.objects.create(theme=theme, code="m1", title_it="Misurare", title_en="Measure")
    Action.objects.create(objective=objective, code="m1a", title_it="Indicatori", title_en="Indicators")
    torino.municipalities = 313
    torino.save()

    figures = key_figures(get_text(client, "/en/"))
    assert figures["objectives"] == "4"
    assert figures["actions"] == "4"
    assert figures["municipalities in the territory"] == "313"


def test_english_home_shows_english_content(client, torino):
    text = get_text(client, "/en/")

    assert '<html lang="en"' in text
    assert CONTENT["plan"]["title_en"] in text
    for theme in CONTENT["themes"]:
        assert theme["title_en"] in text
    for pillar in CONTENT["pillars"]:
        assert pillar["title_en"] in text
    assert "Social impact finance" in text
    assert "Finanza ad impatto sociale" not in text


def test_language_links_point_to_the_same_page(client, torino):
    text = get_text(client, "/piano/")
    assert 'href="/en/piano/" hreflang="en" lang="en"' in text

    text = get_text(client, "/en/temi/social-procurement/")
    assert 'href="/temi/social-procurement/" hreflang="it" lang="it"' in text


def test_explorer_shows_theme_objective_action_tool_with_written_status(client, torino):
    action = Action.objects.get(code="sp-s1")
    action.status = Action.Status.DELAYED
    action.save()
    Tool.objects.create(
        action=action,
        code="t1",
        kind=Tool.Kind.LEGAL,
        title_it="Codice dei contratti",
        title_en="Public contracts code",
    )

    text = get_text(client, "/en/piano/")

    assert CONTENT["plan"]["structure_principle_en"][:60] in text
    for objective in sp_theme()["objectives"]:
        assert objective["title_en"] in text
        for strategy in objective["actions"]:
            assert re.sub(r"\s+", " ", strategy["title_en"]) in text
    assert "Status: </span>Delayed</span>" in text
    assert "Public contracts code" in text
    assert "Legal or administrative instrument" in text
    # Every theme is in the navigation; the first with objectives is open.
    navigation = text.split('aria-label="Themes of the plan"', 1)[1].split("</nav>", 1)[0]
    for theme in CONTENT["themes"]:
        assert theme["title_en"] in navigation
    assert 'href="?tema=social-procurement" aria-current="page"' in navigation


def test_explorer_opens_any_theme_and_refuses_unknown_ones(client, torino):
    # Themes still to be worked out say so instead of showing an empty list.
    governance = get_text(client, "/en/piano/?tema=governance")
    assert 'href="?tema=governance" aria-current="page"' in governance
    assert "This theme has no objectives yet" in governance
    assert sp_theme()["objectives"][0]["title_en"] not in governance
    assert client.get("/piano/?tema=nope").status_code == 404


def test_social_procurement_page_shows_vision_objectives_and_strategies(client, torino):
    text = get_text(client, "/temi/social-procurement/")

    theme = sp_theme()
    assert theme["vision_it"] in text
    assert "Macro-tema" in text or "Macro-theme" in text
    assert len(theme["objectives"]) == 3
    for objective in theme["objectives"]:
        assert objective["title_it"] in text
        assert len(objective["actions"]) == 1
        assert re.sub(r"\s+", " ", objective["actions"][0]["title_it"]) in text
    assert text.count('<span class="visually-hidden">') >= 3


def test_theme_page_names_coordinators_but_never_their_email(client, roles):
    roles.coordinator.first_name = "Giulia"
    roles.coordinator.last_name = "Rossi"
    roles.coordinator.save()

    text = get_text(client, "/temi/social-procurement/")

    assert "Giulia Rossi" in text
    assert roles.coordinator.email not in text
    assert "@" not in text.split("<main", 1)[1].split("</main>", 1)[0]


def test_objective_page_has_breadcrumbs_and_actions(client, torino):
    objective = Objective.objects.get(code="sp-o2")
    text = get_text(client, f"/en/obiettivi/{objective.pk}/")

    breadcrumbs = text.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    assert 'href="/en/piano/"' in breadcrumbs
    assert 'href="/en/temi/social-procurement/"' in breadcrumbs
    assert 'aria-current="page"' in breadcrumbs
    assert "Beyond the classic approach to social procurement, develop strategies" in text


def test_action_page_shows_status_dates_weight_budget_milestones_and_tools(client, torino):
    today = date.today()
    action = Action.objects.get(code="sp-s1")
    action.status = Action.Status.IN_PROGRESS
    action.start_date = today - timedelta(days=100)
    action.end_date = today + timedelta(days=100)
    action.budget = 125000
    action.weight = 2
    action.save()
    Milestone.objects.create(
        action=action,
        title_it="Linee guida",
        title_en="Guidelines",
        due_date=today - timedelta(days=20),
        completed_on=today - timedelta(days=25),
    )
    Milestone.objects.create(
        action=action, title_it="Formazione", title_en="Training", due_date=today - timedelta(days=5)
    )
    Milestone.objects.create(
        action=action, title_it="Bando pilota", title_en="Pilot tender", due_date=today + timedelta(days=30)
    )
    Tool.objects.create(
        action=action,
        code="fund",
        kind=Tool.Kind.FUND,
        title_it="Fondo",
        title_en="Social fund",
        url="https://example.org/fund",
    )

    text = get_text(client, f"/en/azioni/{action.pk}/")

    breadcrumbs = text.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    assert breadcrumbs.count("breadcrumb-item") == 4
    assert f'href="/en/obiettivi/{action.objective.pk}/"' in breadcrumbs
    assert "Status: </span>In progress</span>" in text
    with translation.override("en"):
        from django.utils.formats import date_format

        assert date_format(action.start_date, "DATE_FORMAT") in text
        assert date_format(action.end_date, "DATE_FORMAT") in text
    assert "125,000.00 €" in text
    assert ">2 <" in text
    assert re.search(r">Done</span> <strong>Guidelines</strong>", text)
    assert re.search(r">Overdue</span> <strong>Training</strong>", text)
    assert re.search(r">Upcoming</span> <strong>Pilot tender</strong>", text)
    assert '<a href="https://example.org/fund">Social fund</a>' in text


def test_italian_action_page_writes_statuses_and_dates_in_italian(client, torino):
    action = Action.objects.get(code="sp-s1")
    action.status = Action.Status.DELAYED
    action.start_date = date(2025, 7, 1)
    action.end_date = date(2026, 12, 31)
    action.save()
    Milestone.objects.create(
        action=action, title_it="Linee guida", due_date=date(2025, 9, 30), completed_on=date(2025, 9, 15)
    )
    Milestone.objects.create(action=action, title_it="Bando", due_date=date.today() + timedelta(days=1))

    text = get_text(client, f"/azioni/{action.pk}/")

    assert "Stato: </span>In ritardo</span>" in text
    assert ">01 luglio 2025</time>" in text
    assert re.search(r">Raggiunto</span> <strong>Linee guida</strong>", text)
    assert re.search(r">In programma</span> <strong>Bando</strong>", text)


def test_action_without_budget_or_milestones_says_so(client, torino):
    action = Action.objects.get(code="sp-s2")
    text = get_text(client, f"/en/azioni/{action.pk}/")

    assert "Budget" not in text
    assert "No milestones yet." in text
    assert "No tools yet." in text


def test_process_page_shows_phases_and_monitoring_principle(client, torino):
    text = get_text(client, "/en/processo/")

    assert "it-timeline-wrapper" in text
    for phase in CONTENT["phases"]:
        assert phase["name_en"] in text
        assert phase["period_label_en"] in text
    assert re.sub(r"\s+", " ", CONTENT["plan"]["monitoring_principle_en"])[:80] in text


def test_context_page_dates_follow_their_precision_and_levels_are_written(client, torino):
    text = get_text(client, "/contesto/")

    assert ">2021</time>" in text  # year only
    assert ">maggio 2024</time>" in text  # month and year
    assert ">18 luglio 2024</time>" in text  # full date
    assert "1 gennaio 2023" not in text and "01 gennaio 2023" not in text
    for label in ("Internazionale", "Europeo", "Nazionale", "Locale"):
        assert label in text
    frameworks = text.split('id="references-frameworks"', 1)[1]
    assert "Torino Social Impact" in frameworks
    assert 'href="https://undocs.org/A/RES/77/281"' in text
    for reference in CONTENT["references"]:
        assert reference["title_it"] in text


def test_context_page_in_english(client, torino):
    text = get_text(client, "/en/contesto/")
    assert ">May 2024</time>" in text
    assert ">July 18, 2024</time>" in text
    assert "International" in text and "European" in text


def test_about_page_states_licence_api_and_accessibility(client, torino):
    text = get_text(client, "/en/informazioni/")

    assert "EUPL" in text and "1.2" in text
    assert 'href="/api/v1/docs"' in text
    assert "WCAG" in text and "2.1" in text and "AA" in text
    assert "axe-core" in text and "Chromium" in text
    for promoter in PROMOTERS_EN:
        assert promoter in text


@override_settings(PORTAL_ACCESSIBILITY_CONTACT="accessibilita@example.org")
def test_accessibility_contact_comes_from_settings(client, torino):
    text = get_text(client, "/informazioni/")
    assert 'href="mailto:accessibilita@example.org"' in text


@pytest.mark.parametrize(
    "path",
    ["/temi/no-such-theme/", "/obiettivi/999999/", "/azioni/999999/", "/en/azioni/999999/", "/no-such-page/"],
)
def test_unknown_elements_answer_404_with_the_portal_template(client, torino, path):
    text = get_text(client, path, status=404)
    assert "it-header-wrapper" in text
    assert PROMOTERS_IT[0] in text or PROMOTERS_EN[0] in text


def test_elements_of_another_plan_answer_404(client, torino):
    other = Plan.objects.create(slug="other", title_it="Altro piano", territory_it="Altrove")
    theme = Theme.objects.create(plan=other, code="other-theme", title_it="Altro tema")
    objective = Objective.objects.create(theme=theme, code="o", title_it="Altro obiettivo")
    action = Action.objects.create(objective=objective, code="a", title_it="Altra azione")

    with override_settings(PORTAL_PLAN="torino"):
        assert client.get(f"/obiettivi/{objective.pk}/").status_code == 404
        assert client.get(f"/azioni/{action.pk}/").status_code == 404
        assert client.get("/temi/other-theme/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/piano/", "/processo/", "/contesto/", "/en/"])
def test_without_a_plan_pages_explain_instead_of_crashing(client, path):
    text = get_text(client, path)
    assert "load_plan" in text


@pytest.mark.django_db
def test_without_a_plan_about_still_answers_and_details_are_404(client):
    assert client.get("/informazioni/").status_code == 200
    assert client.get("/temi/social-procurement/").status_code == 404
    assert client.get("/azioni/1/").status_code == 404


def test_server_error_page_renders_without_request_or_database():
    # No db fixture: pytest-django makes any database access fail here.
    page = render_to_string("500.html")
    assert "<html lang=" in page
    assert "bootstrap-italia.min.css" in page


def test_pages_carry_no_inline_script_or_style(client, torino):
    for name in PAGE_NAMES:
        for language in ("it", "en"):
            text = get_text(client, page_named(torino, name).path(language))
            assert "style=" not in text
            assert "<style" not in text
            assert not re.search(r"<script(?![^>]*\bsrc=)", text), name


def test_language_links_keep_the_query_string(client, torino):
    text = client.get("/monitoraggio/indicatori/?tema=social-procurement&stato=no_data").content.decode()
    assert 'href="/en/monitoraggio/indicatori/?tema=social-procurement&amp;stato=no_data" hreflang="en"' in text
