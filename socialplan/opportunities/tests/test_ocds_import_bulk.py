"""The OCDS import's bulk write path: batches change nothing to the result, lookups are per batch, not per release."""

import copy
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend

from socialplan.ecosystem.models import LegalForm, Organization
from socialplan.opportunities.models import Award, Buyer, Opportunity
from socialplan.opportunities.ocds.tests.conftest import ANAC_HISTORY, ANAC_SAMPLE
from socialplan.opportunities.ocds_import import KEPT_PROBLEMS, ImportReport, Notice, import_ocds

from .test_ocds_import import package, ready, sample_releases  # noqa: F401 - ready: the legal bases and CPV codes

pytestmark = pytest.mark.usefixtures("ready")


def registry() -> dict[str, tuple]:
    """What a user can see of every imported opportunity, by ocid."""
    return {
        opportunity.ocid: (
            opportunity.title,
            opportunity.status,
            opportunity.value,
            opportunity.legal_basis.code,
            opportunity.buyer.codice_fiscale,
            sorted(code.code for code in opportunity.cpv_codes.all()),
            [(lot.number, lot.title, lot.value) for lot in opportunity.lots.order_by("number")],
            sorted(
                (
                    award.ocds_award_id,
                    award.value,
                    award.date,
                    award.lot.number if award.lot else None,
                    sorted((s.name, s.codice_fiscale, s.organization_id) for s in award.suppliers.all()),
                )
                for award in opportunity.awards.all()
            ),
        )
        for opportunity in Opportunity.objects.select_related("legal_basis", "buyer")
    }


def test_small_batches_write_what_one_batch_writes():
    # The history has several releases of one process, some of them in different batches of 4.
    one = import_ocds(ANAC_HISTORY)
    expected = registry()
    Opportunity.objects.all().delete()
    Buyer.objects.all().delete()
    small = import_ocds(ANAC_HISTORY, batch_size=4)
    assert registry() == expected
    assert (small.read, small.created, small.refused) == (one.read, one.created, one.refused)
    assert small.created + small.updated + small.unchanged == small.read
    assert Buyer.objects.count() == small.buyers_created == one.buyers_created


def test_the_last_valid_release_of_a_process_is_kept_and_a_refused_one_changes_nothing(tmp_path):
    first = sample_releases()[0]
    second = copy.deepcopy(first)
    second["tender"]["title"] = "Seconda versione"
    refused = copy.deepcopy(first)
    refused["tender"]["title"] = "Versione rifiutata"
    refused["tender"]["value"] = {"amount": -1, "currency": "EUR"}
    report = import_ocds(package(tmp_path, [first, second, refused]), accept_valid=True)
    assert (report.created, report.updated, report.refused_releases) == (1, 1, 1)
    assert list(Opportunity.objects.values_list("title", flat=True)) == ["Seconda versione"]


def test_a_refused_release_creates_no_buyer(tmp_path):
    release = sample_releases()[0]
    release["tender"]["tenderPeriod"] = {"startDate": "2022-02-18T12:00:00Z", "endDate": "2022-02-04T12:00:00Z"}
    report = import_ocds(package(tmp_path, [release, sample_releases()[1]]), accept_valid=True)
    assert report.created == 1 and report.buyers_created == 1
    assert list(Buyer.objects.values_list("codice_fiscale", flat=True)) == ["81002430759"]


def test_buyers_are_created_once_and_found_again_by_codice_fiscale(tmp_path):
    releases = sample_releases()
    # The same buyer, the Comune di Torino, for three new processes; it is known already.
    known = Buyer.objects.create(name="Comune di Torino", codice_fiscale="00514490010")
    for number, release in enumerate(releases[:3]):
        release["ocid"] += f"-torino-{number}"
        release["parties"].append({"id": "torino", "identifier": {"scheme": "IT-CF", "id": "00514490010"}})
        release["buyer"] = {"id": "torino", "name": "Città di Torino"}
    report = import_ocds(package(tmp_path, releases), batch_size=5)
    assert report.created == 12 and report.buyers_created == 9
    assert Opportunity.objects.filter(buyer=known).count() == 3
    assert Buyer.objects.filter(codice_fiscale="00514490010").count() == 1


def test_the_lookups_are_per_batch_not_per_release(tmp_path):
    def numbered(copies: int, *, first: int) -> list[dict]:
        releases = []
        for number in range(first, first + copies):
            for release in sample_releases():
                release["ocid"] += f"-{number}"
                releases.append(release)
        return releases

    counts = []
    for copies in (1, 4):
        with CaptureQueriesContext(connection) as queries:
            report = import_ocds(package(tmp_path, numbered(copies, first=len(counts) * 10), name=f"{copies}.json"))
        assert report.created == 12 * copies and not report.refused
        # Inserts come in statements of as many rows as the database takes; the lookups are one per kind.
        counts.append(len([query for query in queries.captured_queries if query["sql"].startswith("SELECT")]))
    assert counts[0] == counts[1] == 6


@pytest.mark.django_db(transaction=True)
def test_the_matcher_is_told_of_the_opportunities_and_the_winners_once_after_the_commit(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # BETADUE, a type B social cooperative among the suppliers of ocds-hu01ve-8365650, is in the ecosystem.
    betadue = Organization.objects.create(
        legal_name="Betadue cooperativa sociale", codice_fiscale="01587640515", legal_form=LegalForm.SOCIAL_COOP_B
    )
    default_task_backend.clear()
    import_ocds(ANAC_SAMPLE)
    queued = sorted((result.task.name, tuple(result.args)) for result in default_task_backend.results)
    expected = [("rematch_opportunity", (pk,)) for pk in Opportunity.objects.values_list("pk", flat=True)]
    assert queued == sorted([*expected, ("rematch_organization", (betadue.pk,))])

    default_task_backend.clear()
    assert import_ocds(ANAC_SAMPLE).unchanged == 12
    assert default_task_backend.results == []


def test_a_release_whose_supplier_joined_the_ecosystem_is_not_unchanged():
    import_ocds(ANAC_SAMPLE)
    betadue = Organization.objects.create(
        legal_name="Betadue cooperativa sociale", codice_fiscale="01587640515", legal_form=LegalForm.SOCIAL_COOP_B
    )
    again = import_ocds(ANAC_SAMPLE)
    assert (again.updated, again.unchanged) == (1, 11)
    assert Award.objects.get(opportunity__ocid="ocds-hu01ve-8365650").suppliers.filter(organization=betadue).exists()


def test_the_report_keeps_a_bounded_list_of_problems_and_counts_them_all():
    report = ImportReport()
    report.notice(Notice("file, release 1", "ocds-x", "date", "2025-01-08T", "malformed date") for _ in range(3000))
    assert report.notices_total == 3000 and len(report.notices) == KEPT_PROBLEMS


@pytest.mark.parametrize("name", ["releases.jsonl", "records.json"])
def test_json_lines_and_record_packages_take_the_bulk_path_too(tmp_path, name):
    releases = sample_releases()
    path = tmp_path / name
    if name.endswith(".jsonl"):
        path.write_text("\n".join(json.dumps(release) for release in releases))
    else:
        records = [{"ocid": release["ocid"], "compiledRelease": release} for release in releases]
        path.write_text(json.dumps({"uri": "https://example.org/r", "version": "1.1", "records": records}))
    report = import_ocds(path, batch_size=5)
    assert (report.read, report.created, report.refused) == (12, 12, [])
    assert Award.objects.count() == report.awards > 0
