"""The public pages of the opportunities: the board and its filters, an opportunity, a buyer, the feeds."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from socialplan.ecosystem.models import LegalForm, Membership, Organization
from socialplan.opportunities.demo import OPPORTUNITIES, load_opportunities_demo, remove_opportunities_demo
from socialplan.opportunities.models import Buyer, Opportunity
from socialplan.portal.tests.test_query_budget import count_queries

from .pages_sample import CLEANING, CO_DESIGN, GREEN, LOAN, NURSERIES, SCHOOL_CATERING, build_sample

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def sample(db):
    return build_sample()


def parse_xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 - the application's own feed, not untrusted data


def titles(response) -> list[str]:
    """The titles of the cards on a board or buyer page."""
    html = response.content.decode()
    return re.findall(r'<h3 class="h5 mb-1 opportunity-text"><a href="[^"]+">([^<]+)</a>', html)


def unescape(text: str) -> str:
    return text.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")


def board_titles(client, query: str = "", language: str = "it") -> list[str]:
    prefix = "/en" if language == "en" else ""
    response = client.get(f"{prefix}/opportunita/{query}")
    assert response.status_code == 200
    return [unescape(title) for title in titles(response)]


# ---------------------------------------------------------------------------
# Board


def test_board_shows_open_opportunities_nearest_deadline_first(client, sample):
    shown = board_titles(client)
    open_ones = Opportunity.objects.filter(status="open", deadline__gte=timezone.now())
    assert len(shown) == min(20, open_ones.count())
    assert NURSERIES not in shown  # awarded
    deadlines = [Opportunity.objects.get(title_it=title).deadline for title in shown]
    assert deadlines == sorted(deadlines)
    assert f"{open_ones.count()} opportunità aperte" in client.get("/opportunita/").content.decode()
    assert f"{open_ones.count()} open opportunit" in client.get("/en/opportunita/").content.decode()


def test_a_card_shows_kind_buyer_value_deadline_territory_and_badges(client, sample):
    html = client.get("/en/opportunita/?q=Moncalieri").content.decode()
    card = html[html.index("Cleaning of the Moncalieri town offices") :]
    card = card[: card.index("\n</li>")]
    for expected in (
        "Reserved contract",
        "Comune di Moncalieri (demo)",
        "EUR 180,000",
        "21 days left",
        "Moncalieri",
        "Reserved participation",
        "Social clauses",
        "portal-demo-badge",
    ):
        assert expected in card, expected


def test_include_closed_shows_awarded_and_cancelled(client, sample):
    assert NURSERIES in board_titles(client, "?chiuse=1&q=prima+infanzia")
    assert NURSERIES not in board_titles(client, "?q=prima+infanzia")


def test_search_needs_every_word_in_title_or_description(client, sample):
    assert board_titles(client, "?q=verde+Chieri") == [GREEN]
    assert board_titles(client, "?q=verde+Pinerolo") == []
    # The English texts are searched too, whatever the language of the page.
    assert board_titles(client, "?q=canteen", language="it") == ["Mensa aziendale dello stabilimento di Collegno"]


def test_kind_filter(client, sample):
    shown = board_titles(client, "?tipo=type_b_convention")
    assert set(shown) == {GREEN, "Raccolta dei rifiuti ingombranti a domicilio"}


def test_cpv_division_filter_reads_lots_too(client, sample):
    # The co-design call has no CPV code of its own: its lots are in divisions 85, 80 and 55.
    for division in ("85", "80", "55"):
        assert CO_DESIGN in board_titles(client, f"?cpv={division}"), division
    assert CO_DESIGN not in board_titles(client, "?cpv=90")
    assert CLEANING in board_titles(client, "?cpv=90")


def test_cpv_divisions_offered_are_those_of_the_opportunities(client, sample):
    html = client.get("/opportunita/").content.decode()
    select = html[html.index('id="filter-cpv"') : html.index("</select>", html.index('id="filter-cpv"'))]
    offered = re.findall(r'<option value="(\d\d)"', select)
    assert {"90", "77", "85", "80", "55"} <= set(offered)
    assert "45" not in offered  # construction: no opportunity has it


def test_comune_filter_includes_the_whole_area(client, sample):
    shown = board_titles(client, "?comune=001078")  # Chieri
    assert GREEN in shown
    assert LOAN in shown  # the whole metropolitan area
    assert CLEANING not in shown  # Moncalieri only


def test_deadline_filter(client, sample):
    shown = board_titles(client, "?scadenza=7")
    soon = timezone.now() + timedelta(days=7)
    assert shown
    for title in shown:
        assert Opportunity.objects.get(title_it=title).deadline <= soon
    assert GREEN not in shown  # 30 days away


def test_legal_basis_and_social_clauses_filters(client, sample):
    assert board_titles(client, "?base=dlgs36-2023-art61") == [
        CLEANING,
        "Custodia e pulizia delle biblioteche civiche",
    ]
    with_clauses = board_titles(client, "?clausole=1")
    assert SCHOOL_CATERING in with_clauses and CLEANING in with_clauses
    assert GREEN not in with_clauses


def test_sort_by_value_and_newest(client, sample):
    by_value = board_titles(client, "?ordina=valore")
    values = [Opportunity.objects.get(title_it=title).value for title in by_value]
    assert by_value[0] == SCHOOL_CATERING
    known = [value for value in values if value is not None]
    assert known == sorted(known, reverse=True)
    newest = board_titles(client, "?ordina=recenti")
    published = [Opportunity.objects.get(title_it=title).published_on for title in newest]
    assert published == sorted(published, reverse=True)


def test_twenty_per_page(client, sample):
    first = board_titles(client, "?chiuse=1")
    second = board_titles(client, "?chiuse=1&pagina=2")
    assert len(first) == 20
    assert len(first) + len(second) == Opportunity.objects.count()
    assert not set(first) & set(second)


@pytest.mark.parametrize(
    "query",
    [
        "?tipo=nothing",
        "?cpv=9",
        "?comune=abc",
        "?scadenza=5",
        "?base=%27%3B+DROP",
        "?clausole=yes",
        "?ordina=price",
        "?pagina=-3",
        "?pagina=99999999999999999999",
        "?q=" + "x" * 5000,
        "?q=%00%01",
        "?tipo=co_design&tipo=finance",
    ],
)
def test_bad_query_strings_never_fail(client, sample, query):
    response = client.get(f"/en/opportunita/{query}")
    assert response.status_code == 200


def test_a_value_not_understood_is_ignored_and_named(client, sample):
    response = client.get("/en/opportunita/?tipo=nothing&scadenza=5&q=verde+Chieri")
    html = response.content.decode()
    assert "Some filters were not understood and were ignored: tipo, scadenza." in html
    assert [unescape(title) for title in titles(response)] == ["Maintenance of the public green areas of Chieri"]


def test_filter_form_is_a_get_form_with_labels(client, sample):
    html = client.get("/en/opportunita/").content.decode()
    assert re.search(r'<form method="get" action="/en/opportunita/" role="search"', html)
    for parameter in ("q", "tipo", "cpv", "comune", "scadenza", "base", "clausole", "chiuse", "ordina"):
        assert f'<label for="filter-{parameter}"' in html or f'for="filter-{parameter}"' in html, parameter
        assert f'id="filter-{parameter}"' in html and f'name="{parameter}"' in html, parameter


def test_board_links_its_feeds_with_the_current_filters(client, sample):
    html = client.get("/en/opportunita/?tipo=co_design&pagina=1").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="New opportunities (RSS)" '
        'href="/en/opportunita/feed.rss?tipo=co_design">' in html
    )
    assert 'type="application/atom+xml"' in html and 'href="/en/opportunita/feed.atom?tipo=co_design"' in html


def test_navigation_links_the_board(client, sample):
    html = client.get("/en/organizzazioni/").content.decode()
    assert '<a class="nav-link" href="/en/opportunita/"><span>Opportunities</span></a>' in html
    html = client.get("/en/opportunita/").content.decode()
    assert 'class="nav-link active" href="/en/opportunita/" aria-current="page"' in html


# ---------------------------------------------------------------------------
# Opportunity page


def test_opportunity_page_explains_the_legal_basis_in_plain_words(client, sample):
    green = sample.named(GREEN)
    html = unescape(client.get(f"/en/opportunita/{green.pk}/").content.decode())
    assert "art. 5 L. 381/1991" in html
    assert "Public bodies may sign direct conventions with type B social cooperatives" in html  # the explanation
    assert "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1991-11-08;381~art5" in html
    assert "Who may take part: Social cooperative type B, Consortium of social cooperatives." in html
    assert "Not for these kinds of service (CPV): 80 (" in html
    assert "Only for values below EUR 216,000, VAT excluded" in html
    assert "77311000" in html and "Chieri" in html


def test_reserved_contract_states_the_share_and_the_anac_clause(client, sample):
    cleaning = sample.named(CLEANING)
    html = unescape(client.get(f"/en/opportunita/{cleaning.pk}/").content.decode())
    assert "At least 30% of the workers must be disabled or disadvantaged people." in html
    assert "Participation is reserved to sheltered workshops" in html  # ANAC res-ws, in English


def test_anac_codes_are_shown_as_their_labels_in_italian(client, sample):
    catering = sample.named(SCHOOL_CATERING)
    html = unescape(client.get(f"/opportunita/{catering.pk}/").content.decode())
    assert "si impegni ad assumere, oltre alla soglia minima percentuale" in html  # misurePremiali 3
    assert "At least 30% of new hires" in html or "30%" in html


def test_co_design_page_lists_its_lots_with_cpv_labels(client, sample):
    co_design = sample.named(CO_DESIGN)
    html = unescape(client.get(f"/en/opportunita/{co_design.pk}/").content.decode())
    assert "3 lots" in html
    for number, code in ((1, "85312000"), (2, "80530000"), (3, "55520000")):
        assert f"Lot {number}:" in html and code in html
    assert "Only Third sector entities may take part:" in html
    assert "Social cooperative type A" in html


def test_finance_page_shows_its_terms(client, sample):
    loan = sample.named(LOAN)
    html = unescape(client.get(f"/en/opportunita/{loan.pk}/").content.decode())
    assert "Terms of the instrument" in html
    assert "Loan" in html and "EUR 20,000" in html and "EUR 300,000" in html and "84 months" in html
    assert "2.5%" in html
    assert "Set by this opportunity" in html and "Social enterprise" in html


def test_demo_opportunity_is_labelled(client, sample):
    html = client.get(f"/en/opportunita/{sample.named(GREEN).pk}/").content.decode()
    assert "This opportunity was invented to demonstrate the platform: it does not exist." in html


def test_a_member_sees_whether_their_organization_may_take_part_and_why(client, sample, django_user_model):
    user = django_user_model.objects.create_user(email="socia@example.org", password="x")
    coop_b = Organization.objects.create(
        legal_name="Cooperativa Verde Lavoro",
        codice_fiscale="01234567890",
        legal_form=LegalForm.SOCIAL_COOP_B,
        disadvantaged_share=42,
    )
    company = Organization.objects.create(
        legal_name="Servizi Rapidi S.r.l.", codice_fiscale="09876543210", legal_form=LegalForm.COMPANY
    )
    Membership.objects.create(user=user, organization=coop_b)
    Membership.objects.create(user=user, organization=company)
    client.force_login(user)

    html = unescape(client.get(f"/en/opportunita/{sample.named(GREEN).pk}/").content.decode())
    assert "Your organizations" in html
    assert "Cooperativa Verde Lavoro:\n          may take part" in html
    assert "Servizi Rapidi S.r.l.:\n          may not take part" in html
    assert "art. 5 L. 381/1991: only Social cooperative type B, Consortium of social cooperatives" in html

    html = unescape(client.get(f"/en/opportunita/{sample.named(CLEANING).pk}/").content.decode())
    assert "art. 61 D.Lgs. 36/2023: eligible, 42% disadvantaged workers" in html


def test_an_anonymous_visitor_is_invited_to_sign_in(client, sample):
    html = client.get(f"/en/opportunita/{sample.named(GREEN).pk}/").content.decode()
    assert "Sign in as a member of an organization to see whether it may take part" in html


def test_imported_opportunity_shows_its_ocid_and_release(client, sample):
    opportunity = sample.named(SCHOOL_CATERING)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        source=Opportunity.Source.OCDS, ocid="ocds-hu01ve-7608611", raw={"id": "7608611-2026-01", "ocid": "x"}
    )
    html = client.get(f"/en/opportunita/{opportunity.pk}/").content.decode()
    assert "OCDS import" in html and "ocds-hu01ve-7608611" in html and "7608611-2026-01" in html
    assert f'href="/api/v1/opportunities/{opportunity.pk}"' in html


@pytest.mark.parametrize("path", ["/opportunita/999999/", "/en/opportunita/committenti/999999/"])
def test_unknown_ids_are_404(client, sample, path):
    assert client.get(path).status_code == 404


def test_huge_id_is_404_not_500(client, sample):
    assert client.get("/opportunita/99999999999999999999999/").status_code == 404


# ---------------------------------------------------------------------------
# Buyer page


def test_buyer_page_lists_its_opportunities_open_first(client, sample):
    buyer = Buyer.objects.get(name="Comune di Moncalieri (demo)")
    response = client.get(f"/en/opportunita/committenti/{buyer.pk}/")
    shown = [unescape(title) for title in titles(response)]
    assert shown == ["Cleaning of the Moncalieri town offices", "Early childhood education services 2025"]
    html = response.content.decode()
    assert "2 opportunities" in html and "Awarded" in html
    assert "This buyer was invented to demonstrate the platform" in html


def test_opportunity_page_links_the_buyer(client, sample):
    cleaning = sample.named(CLEANING)
    html = client.get(f"/opportunita/{cleaning.pk}/").content.decode()
    assert f'href="/opportunita/committenti/{cleaning.buyer_id}/"' in html


# ---------------------------------------------------------------------------
# Feeds


def test_rss_feed_parses_and_follows_the_filters(client, sample):
    response = client.get("/opportunita/feed.rss?tipo=type_b_convention")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    items = channel.findall("item")
    assert {item.findtext("title") for item in items} == {GREEN, "Raccolta dei rifiuti ingombranti a domicilio"}
    link = next(item for item in items if item.findtext("title") == GREEN).findtext("link")
    assert link.endswith(f"/opportunita/{sample.named(GREEN).pk}/")
    assert channel.findtext("link").endswith("/opportunita/?tipo=type_b_convention")
    english = parse_xml(client.get("/en/opportunita/feed.rss?tipo=type_b_convention").content).find("channel")
    assert "Maintenance of the public green areas of Chieri" in {item.findtext("title") for item in english}
    assert english.findtext("link").endswith("/en/opportunita/?tipo=type_b_convention")


def test_atom_feed_parses_newest_first(client, sample):
    response = client.get("/opportunita/feed.atom?chiuse=1")
    assert response.status_code == 200
    feed = parse_xml(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == Opportunity.objects.count()  # fewer than the feed's 50
    published = [entry.findtext(f"{ATOM}published") for entry in entries]
    assert published == sorted(published, reverse=True)


def test_feed_keeps_at_most_fifty(client, sample):
    template = sample.named(GREEN)
    for number in range(50):
        template.pk = None
        template.title_it = f"Copia {number}"
        template.ocid = None
        template.save()
    items = parse_xml(client.get("/opportunita/feed.rss").content).find("channel").findall("item")
    assert len(items) == 50


def test_feed_with_bad_filters_still_answers(client, sample):
    response = client.get("/opportunita/feed.rss?tipo=nope&scadenza=abc&q=%00")
    assert response.status_code == 200
    parse_xml(response.content)


# ---------------------------------------------------------------------------
# Demo


def test_demo_is_idempotent_and_removable(sample):
    count = Opportunity.objects.count()
    again = load_opportunities_demo()
    assert again.created == 0 and again.buyers_created == 0
    assert again.already_present == len(OPPORTUNITIES)
    assert Opportunity.objects.count() == count
    assert set(Opportunity.objects.values_list("kind", flat=True)) == set(Opportunity.Kind.values)
    assert remove_opportunities_demo() == count
    assert not Opportunity.objects.exists() and not Buyer.objects.filter(is_demo=True).exists()


def test_demo_covers_what_the_matching_needs(sample):
    cleaning = sample.named(CLEANING)
    assert cleaning.kind == Opportunity.Kind.RESERVED_CONTRACT
    assert [code.code for code in cleaning.cpv_codes.all()] == ["90911200"]
    green = sample.named(GREEN)
    assert [code.code for code in green.cpv_codes.all()] == ["77311000"]
    assert green.value < 216_000
    co_design = sample.named(CO_DESIGN)
    divisions = [lot.cpv_codes.get().division for lot in co_design.lots.order_by("number")]
    assert divisions == ["85", "80", "55"]
    assert Opportunity.objects.filter(is_demo=True, status="open", deadline__gte=timezone.now()).count() >= 20


# ---------------------------------------------------------------------------
# Query budget


def grow(sample, factor: int = 5) -> None:
    """Copies of every opportunity, with their CPV codes and comuni: several pages more."""
    originals = list(Opportunity.objects.prefetch_related("cpv_codes", "comuni"))
    for number in range(factor):
        for original in originals:
            codes, comuni = list(original.cpv_codes.all()), list(original.comuni.all())
            original.pk = None
            original.ocid = None
            original.title_it = f"{original.title_it} {number}"
            original.save()
            original.cpv_codes.set(codes)
            original.comuni.set(comuni)


BOARD_PATHS = [
    "/opportunita/",
    "/opportunita/?pagina=2",
    "/opportunita/?q=pulizia&tipo=reserved_contract&cpv=90&comune=001156&scadenza=30&clausole=1&ordina=valore",
    "/opportunita/?chiuse=1&base=l381-1991-art5&ordina=recenti&pagina=2",
    "/opportunita/feed.rss",
    "/opportunita/feed.atom?chiuse=1",
]


@pytest.mark.parametrize("language", ["it", "en"])
def test_page_queries_do_not_grow_with_the_data(client, sample, language):
    prefix = "/en" if language == "en" else ""
    buyer = Buyer.objects.get(name="Comune di Torino (demo)")
    paths = [
        *(prefix + path for path in BOARD_PATHS),
        f"{prefix}/opportunita/{sample.named(CO_DESIGN).pk}/",
        f"{prefix}/opportunita/committenti/{buyer.pk}/",
        "/api/v1/opportunities?limit=100",
        f"/api/v1/opportunities/{sample.named(CO_DESIGN).pk}",
    ]
    before = [count_queries(client, path) for path in paths]
    grow(sample)
    assert Opportunity.objects.count() >= 6 * len(OPPORTUNITIES)
    after = [count_queries(client, path) for path in paths]
    assert after == before, dict(zip(paths, zip(before, after, strict=True), strict=True))
    assert max(after) <= 15, dict(zip(paths, after, strict=True))


def test_load_demo_command_loads_and_removes_the_demo_opportunities(db, capsys):
    from django.core.management import call_command

    from socialplan.ecosystem.models import Organization

    load_territory_and_cpv()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert f"Demo opportunities: {len(OPPORTUNITIES)} created (0 already there)" in out
    # A demo type B cooperative can answer both the reserved cleaning contract and the green convention.
    covering = Organization.objects.filter(is_demo=True, legal_form=LegalForm.SOCIAL_COOP_B)
    covering = covering.filter(cpv_codes__code__in=["90911200", "90911000", "90910000", "90900000"]).filter(
        cpv_codes__code__in=["77311000", "77310000", "77300000"]
    )
    assert covering.exists()

    call_command("load_demo")
    assert f"0 created ({len(OPPORTUNITIES)} already there)" in capsys.readouterr().out
    call_command("load_demo", "--remove")
    assert f"Deleted {len(OPPORTUNITIES)} demo opportunities" in capsys.readouterr().out
    assert not Opportunity.objects.exists()


def load_territory_and_cpv() -> None:
    from socialplan.ecosystem.services import load_cpv
    from socialplan.territory.services import load_territory

    load_territory(code="TO")
    load_cpv()
