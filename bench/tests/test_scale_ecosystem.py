"""The scale generator's ecosystem: exact totals, valid organizations, the same rows every time, streamed.

A small custom scale keeps these fast; `metro` and `national` differ only in their totals.
"""

from collections import Counter

import pytest
from django.db.models import F
from stdnum.it import iva

from bench import scale as scale_module
from bench.scale import SCALE_SOURCE, SCALES, Scale, ecosystem_totals, generate, plan_totals, scale_codice_fiscale
from socialplan.ecosystem.demo import DEMO_COUNT, OrganizationInventor, load_demo, places_of, write_organizations
from socialplan.ecosystem.models import AtecoActivity, Organization, Partnership, Pledge, PledgeProgress
from socialplan.ecosystem.tests.test_demo import ALL_CPV_CODES, load_cpv_rows
from socialplan.plan.models import Action, Objective
from socialplan.territory.services import load_territory

SMALL = Scale(objectives=10, actions=24, milestones=40, tools_per_action=1.0, organizations=300, pledges=30)
LARGER = Scale(objectives=10, actions=24, milestones=40, tools_per_action=1.0, organizations=560, pledges=40)


@pytest.fixture
def ecosystem_ready(torino, monkeypatch):
    """The Turin plan, its comuni and the CPV codes; two small scales; batches small enough to need several."""
    load_territory(code="TO")
    load_cpv_rows(ALL_CPV_CODES)
    monkeypatch.setitem(SCALES, "small", SMALL)
    monkeypatch.setitem(SCALES, "larger", LARGER)
    monkeypatch.setattr(scale_module, "ORGANIZATION_BATCH", 120)
    return torino


def organizations_fingerprint():
    generated = Organization.objects.filter(source=SCALE_SOURCE)
    return (
        list(
            generated.order_by("codice_fiscale").values_list(
                "codice_fiscale", "legal_name", "legal_form", "runts_section", "seat_comune__istat_code", "workforce"
            )
        ),
        sorted(generated.values_list("codice_fiscale", "comuni_served__istat_code")),
        sorted(generated.filter(cpv_codes__isnull=False).values_list("codice_fiscale", "cpv_codes__code")),
        sorted(
            AtecoActivity.objects.filter(organization__in=generated).values_list("organization__codice_fiscale", "code")
        ),
    )


def ecosystem_fingerprint():
    return (
        organizations_fingerprint(),
        sorted(Partnership.objects.values_list("action__code", "organization__codice_fiscale", "role")),
        sorted(Pledge.objects.values_list("action__code", "organization__codice_fiscale", "title", "quantity")),
        sorted(PledgeProgress.objects.values_list("pledge__organization__codice_fiscale", "reported_on", "achieved")),
    )


def test_the_metro_and_national_scales_name_the_quality_bars_totals():
    assert SCALES["metro"].organizations == 20_000
    assert SCALES["national"].organizations == 400_000
    # Pledges follow the actions: ten times the actions, ten times the pledges.
    assert SCALES["national"].pledges / SCALES["metro"].pledges == SCALES["national"].actions / SCALES["metro"].actions


def test_a_scale_fills_the_ecosystem_to_its_totals(ecosystem_ready):
    result = generate(scale="small")

    assert result.totals["organizations"] == SMALL.organizations == Organization.objects.count()
    assert result.created["organizations"] == SMALL.organizations
    assert result.totals["pledges"] == SMALL.pledges
    assert result.notes == []
    generated_actions = Action.objects.filter(objective__theme__plan=ecosystem_ready, code__startswith="gen-")
    for action in generated_actions:
        roles = Counter(action.partnerships.values_list("role", flat=True))
        assert roles["lead"] == 1
        assert 3 <= sum(roles.values()) <= 5
    assert result.totals["partnerships"] == Partnership.objects.count()
    assert Pledge.objects.filter(action__in=generated_actions).count() == SMALL.pledges
    assert PledgeProgress.objects.count() >= SMALL.pledges
    for pledge in Pledge.objects.all():
        assert Partnership.objects.filter(action=pledge.action, organization=pledge.organization).exists()


def test_generated_organizations_are_valid_invented_and_spread(ecosystem_ready):
    generate(scale="small")

    generated = Organization.objects.filter(source=SCALE_SOURCE)
    assert set(generated.values_list("is_demo", flat=True)) == {True}
    codes = list(generated.values_list("codice_fiscale", flat=True))
    assert all(iva.is_valid(code) for code in codes)
    assert sorted(codes) == sorted(scale_codice_fiscale(serial) for serial in range(1, SMALL.organizations + 1))
    for organization in generated.order_by("pk")[:50]:
        organization.full_clean()
    assert not generated.filter(seat_comune__isnull=True).exists()
    assert len(set(generated.values_list("legal_form", flat=True))) > 10
    assert AtecoActivity.objects.filter(organization__in=generated, is_primary=True).count() == SMALL.organizations
    served = Organization.comuni_served.through.objects.filter(organization__in=generated)
    assert served.count() >= SMALL.organizations
    # Every organization serves its own comune.
    assert served.filter(comune=F("organization__seat_comune")).count() == SMALL.organizations
    assert Organization.cpv_codes.through.objects.filter(organization__in=generated).exists()


def test_running_a_scale_again_adds_nothing(ecosystem_ready):
    generate(scale="small")
    before = ecosystem_fingerprint()

    again = generate(scale="small")

    assert {again.created[level] for level in ("organizations", "partnerships", "pledges", "progress_reports")} == {0}
    assert ecosystem_fingerprint() == before


def test_the_same_scale_gives_the_same_rows(ecosystem_ready):
    generate(scale="small")
    first = ecosystem_fingerprint()
    Organization.objects.filter(source=SCALE_SOURCE).delete()
    Objective.objects.filter(code__startswith="gen-").delete()

    generate(scale="small")

    assert ecosystem_fingerprint() == first


def test_an_organization_is_the_same_whatever_the_scale_that_made_it(ecosystem_ready):
    generate(scale="small")
    generate(scale="larger")
    topped_up = organizations_fingerprint()
    Organization.objects.filter(source=SCALE_SOURCE).delete()

    generate(scale="larger")

    assert Organization.objects.count() == LARGER.organizations
    assert organizations_fingerprint() == topped_up


def test_totals_count_the_demo_and_leave_it_alone(ecosystem_ready):
    load_demo()
    demo = list(Organization.objects.filter(source="Dati dimostrativi").order_by("pk").values())

    result = generate(scale="larger")

    assert result.created["organizations"] == LARGER.organizations - DEMO_COUNT
    assert Organization.objects.count() == LARGER.organizations
    assert list(Organization.objects.filter(source="Dati dimostrativi").order_by("pk").values()) == demo


def test_organizations_are_streamed_one_batch_at_a_time(ecosystem_ready):
    """Never more than one batch is drawn ahead of the database: memory does not grow with the total."""

    inventor = OrganizationInventor(places=places_of(territory_code="TO"), cpv_available=[], seed="t", source="t")
    drawn_ahead = []

    def invented():
        for serial in range(1, 1_001):
            drawn_ahead.append(serial - Organization.objects.count())
            yield inventor.invent(serial=serial, codice_fiscale=scale_codice_fiscale(serial))

    assert write_organizations(invented(), batch_size=100) == 1_000
    assert max(drawn_ahead) == 100
    assert Organization.objects.count() == 1_000


def test_without_the_territory_the_plan_is_generated_and_the_result_says_why_not_the_ecosystem(torino, monkeypatch):
    monkeypatch.setitem(SCALES, "small", SMALL)

    result = generate(scale="small")

    assert result.totals["actions"] == SMALL.actions == plan_totals(plan=torino)["actions"]
    assert result.created["organizations"] == 0
    assert any("load_territory TO" in note for note in result.notes)
    assert ecosystem_totals(plan=torino)["partnerships"] == 0
