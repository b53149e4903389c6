"""The coverage matrix page (/allineamento/, /en/allineamento/): what a visitor reads, and its fixed query budget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialplan.alignment.models import Alignment, FrameworkItem
from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.plan.services import load_plan_content, read_plan_content


def text_of(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_italian_page_shows_every_framework_with_its_counts(client, torino: Plan) -> None:
    response = client.get("/allineamento/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="it"' in html
    assert "<h1>Allineamento con i quadri di riferimento</h1>" in html
    assert "Il piano copre <strong>14</strong> delle sue 25 voci." in html
    for title in ("Raccomandazione del Consiglio, del 27 novembre 2023", "Trasformare il nostro mondo"):
        assert title in html
    assert 'href="#framework-EU-CR"' in html and 'id="framework-SDG"' in html
    # The summary table: covered, not covered yet, all items, in numbers (not only in colours).
    summary = section(html, 'class="table alignment-summary"', "</table>")
    assert re.search(r"#framework-EU-CR\">[^<]+</a></th>\s*<td class=\"text-end\">14</td>\s*"
                     r"<td class=\"text-end\">11</td>\s*<td class=\"text-end\">25</td>", summary)  # fmt: skip


def test_the_english_page_filtered_to_the_council_recommendation(client, torino: Plan) -> None:
    response = client.get("/en/allineamento/", {"quadro": "EU-CR"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'id="framework-EU-CR"' in html and 'id="framework-SDG"' not in html
    assert '<option value="EU-CR" selected>' in html
    text = text_of(response)
    assert "The plan covers 14 of its 25 items." in text
    uncovered = text_of_section(html, "Items not covered yet</h3>", "All items</h3>")
    for code, label in (
        ("EU-CR-2.6", "Use State aid rules fully"),
        ("EU-CR-2.7", "Favourable taxation"),
        ("EU-CR-1.4", "Role of the social economy in housing"),
        ("EU-CR-3.3", "international cooperation"),
    ):
        assert code in uncovered and label in uncovered
    assert "EU-CR-2.5" not in uncovered


def text_of_section(html: str, start: str, end: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section(html, start, end)))


def test_covered_items_link_to_the_elements_that_cover_them(client, torino: Plan) -> None:
    html = client.get("/en/allineamento/", {"quadro": "EU-CR"}).content.decode()
    action = Action.objects.get(code="sp-s1")

    procurement = section(html, "EU-CR-2.5</span>", "</ul>")
    assert "Covered" in procurement
    assert 'Theme: <a href="/en/temi/social-procurement/">Social procurement</a>' in procurement
    assert f'Action: <a href="/en/azioni/{action.pk}/">' in procurement
    assert "Public procurement as a means of integrating social and green criteria." in procurement
    assert 'Plan: <a href="/en/">' in section(html, "EU-CR-3.1</span>", "</ul>")


def test_sdg_goals_fold_their_targets_and_open_where_the_plan_covers_some(client, torino: Plan) -> None:
    html = client.get("/en/allineamento/", {"quadro": "SDG"}).content.decode()
    goal = r'<details class="alignment-group"( open)?>\s*<summary><span class="alignment-code">(\d+)<'
    groups = re.findall(goal, html)
    opened = {code for is_open, code in groups if is_open}
    assert len(groups) == 17
    assert opened == {"4", "8", "10", "12", "17"}
    assert "Responsible consumption and production" in html and "12.7</span>" in html


def test_an_unknown_framework_is_refused_with_a_clear_message(client, torino: Plan) -> None:
    for code in ("EU-XX", "\x00", "<script>"):
        response = client.get("/en/allineamento/", {"quadro": code})
        assert response.status_code == 404
        assert "There is no framework with the code" in response.content.decode()
        assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert Alignment.objects.count() == 38


def test_the_navigation_leads_to_the_matrix(client, torino: Plan) -> None:
    html = client.get("/en/").content.decode()
    assert '<a class="nav-link" href="/en/allineamento/"><span>Alignment</span></a>' in html
    page = client.get("/en/allineamento/").content.decode()
    assert 'href="/en/allineamento/" aria-current="page"' in page


def test_without_frameworks_the_page_says_so(client, db) -> None:
    load_plan_content(content=read_plan_content("torino"))
    response = client.get("/en/allineamento/")
    assert response.status_code == 200
    assert "No framework has been loaded yet." in text_of(response)


def count_queries(client, path: str) -> int:
    client.get(path)  # warm-up: anything cached per process is cached before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def grow_alignments(plan: Plan, *, factor: int = 10) -> None:
    """Ten times the plan's links: new themes, objectives and actions, each linked to three items."""
    items = list(FrameworkItem.objects.order_by("framework__order", "order"))
    wanted = factor * Alignment.objects.count()
    links = []
    for index in range(wanted // 9 + 1):
        theme = Theme.objects.create(plan=plan, code=f"grown-{index}", order=100 + index, title_it=f"Tema {index}")
        objective = Objective.objects.create(theme=theme, code="o", title_it=f"Obiettivo {index}")
        action = Action.objects.create(objective=objective, code="a", title_it=f"Azione {index}")
        for offset, (kind, element) in enumerate((("theme", theme), ("objective", objective), ("action", action))):
            for step in range(3):
                item = items[(index * 9 + offset * 3 + step) % len(items)]
                links.append(Alignment(item=item, note_it=f"Nota {index}", **{kind: element}))
    Alignment.objects.bulk_create(links)


@pytest.mark.parametrize("path", ["/allineamento/", "/en/allineamento/", "/allineamento/?quadro=EU-CR"])
def test_page_queries_do_not_grow_with_the_data(client, torino: Plan, path: str) -> None:
    before = count_queries(client, path)
    links_before = Alignment.objects.count()

    grow_alignments(torino)

    assert Alignment.objects.count() >= 11 * links_before
    assert count_queries(client, path) == before
