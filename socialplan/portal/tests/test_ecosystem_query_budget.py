"""The ecosystem's pages run the same number of queries with the sample and with ten times as many organizations.

The grown organizations each have activities, capabilities, comuni served,
people, a partnership and a pledge with progress reports (public_sample.grow_sample).
"""

import pytest

from socialplan.ecosystem.models import Organization, Partnership, Pledge
from socialplan.ecosystem.tests.public_sample import TORINO, build_sample, grow_sample
from socialplan.territory.services import load_territory

from .test_query_budget import count_queries

DIRECTORY = [
    "/organizzazioni/",
    "/organizzazioni/?pagina=2",
    "/organizzazioni/?q=cooperativa+sociale",
    f"/organizzazioni/?forma=coop_b&sezione=d&comune={TORINO}&ateco=R&cpv=85&tema=social-procurement",
    "/organizzazioni/?q=organizzazione&tema=governance&pagina=2",
]
# Expected budgets. Directory: the plan and its promoters (2), the facet index (9: rebuilt on every
# request here, because the tests' dummy cache keeps no content version; see test_facets.py for
# the kept index), the search (1), the page and its seat comuni (2).
# The action page also reads its indicators (five queries, which production keeps per content version and
# the tests' dummy cache does not), the framework items it addresses (one) and the contributions behind it
# (seven: the links to its changes, then one per kind of contribution that carries plan elements).
BUDGETS = {"directory": 14, "organization": 9, "map": 5, "network": 5, "action": 20}


@pytest.fixture
def sample(torino):
    load_territory(code="TO")
    return build_sample(torino)


def grow(torino, sample) -> None:
    """Ten times the organizations, and ten times the partnerships and pledges of the pages' own subjects."""
    before = Organization.objects.count()
    grow_sample(torino, factor=9 * before // 5)
    assert Organization.objects.count() >= 10 * before
    for number in range(10):
        sample.germoglio.pledges.create(
            action=sample.sp_s2, title=f"P{number}", quantity=5, unit="u", due_date="2026-01-01"
        ).progress_reports.create(reported_on="2025-01-01", achieved=1)
    for organization in Organization.objects.filter(legal_name__startswith="Organizzazione")[:20]:
        Partnership.objects.get_or_create(action=sample.sp_s1, organization=organization)
        Pledge.objects.create(
            organization=organization, action=sample.sp_s1, title="x", quantity=1, unit="u", due_date="2026-01-01"
        )


def pages(sample) -> dict[str, list[str]]:
    return {
        "directory": DIRECTORY,
        "organization": [f"/organizzazioni/{sample.germoglio.pk}/", f"/organizzazioni/{sample.citta_aperta.pk}/"],
        "map": ["/mappa/", "/mappa/?forma=coop_a&ordina=-organizzazioni&pagina=3"],
        "network": ["/rete/"],
        "action": [f"/azioni/{sample.sp_s1.pk}/"],
    }


@pytest.mark.parametrize("page", list(BUDGETS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_page_queries_do_not_grow_with_the_data(client, torino, sample, page, language):
    prefix = "/en" if language == "en" else ""
    paths = [prefix + path for path in pages(sample)[page]]
    grow_sample(torino, factor=2, start=5000)  # enough for a second page of everything
    before = [count_queries(client, path) for path in paths]

    grow(torino, sample)
    after = [count_queries(client, path) for path in paths]

    assert after == before, f"{page}: {before} queries, then {after} with ten times the data"
    assert max(after) <= BUDGETS[page], f"{page}: {after}"
