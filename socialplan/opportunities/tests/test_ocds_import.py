"""`import_ocds` on the real ANAC files and on bad input: idempotent on ocid, all or nothing, problems reported."""

import gzip
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from socialplan.ecosystem.models import LegalForm, Organization
from socialplan.opportunities.models import Award, AwardSupplier, Buyer, Opportunity, SocialValueMeasure
from socialplan.opportunities.ocds.tests.conftest import ANAC_HISTORY, ANAC_SAMPLE
from socialplan.opportunities.ocds_import import ImportRefused, import_ocds
from socialplan.opportunities.social_value import commit_social_value, load_social_value


@pytest.fixture
def ready(legal_bases):
    call_command("load_cpv", stdout=io.StringIO())
    return legal_bases


def sample_releases() -> list[dict]:
    return json.loads(ANAC_SAMPLE.read_text(encoding="utf-8"))["releases"]


def package(tmp_path, releases, name="package.json", **extra):
    path = tmp_path / name
    path.write_text(json.dumps({"uri": "https://example.org/p", "version": "1.1", **extra, "releases": releases}))
    return path


def test_the_real_anac_sample_imports_with_its_malformed_dates_reported(ready):
    report = import_ocds(ANAC_SAMPLE)
    assert (report.read, report.created, report.updated, report.refused, report.written) == (12, 12, 0, [], True)
    malformed = [notice for notice in report.notices if notice.field == "date"]
    assert len(malformed) == 12 and "2025-01-08 17:31:38.793T12:00:00Z" in {notice.value for notice in malformed}
    first = Opportunity.objects.get(ocid="ocds-hu01ve-8114164")
    assert first.source == Opportunity.Source.OCDS
    assert first.raw["date"] == "2025-01-08 17:31:38.793T12:00:00Z"  # the raw value is kept
    # Tenders of 2022 fall under the 2016 Code, in force until 30 June 2023.
    assert first.legal_basis.code == "dlgs50-2016-public-tender"
    assert first.buyer.codice_fiscale == "83000350724"
    assert Opportunity.objects.filter(status=Opportunity.Status.AWARDED).count() >= 9
    assert Opportunity.objects.filter(cpv_codes__isnull=False).distinct().count() == 12


def test_importing_again_changes_nothing_and_says_so(ready):
    import_ocds(ANAC_SAMPLE)
    buyers, opportunities = Buyer.objects.count(), Opportunity.objects.count()
    stamps = dict(Opportunity.objects.values_list("ocid", "updated_at"))
    again = import_ocds(ANAC_SAMPLE)
    assert (again.created, again.updated, again.unchanged, again.buyers_created) == (0, 0, 12, 0)
    assert (Buyer.objects.count(), Opportunity.objects.count()) == (buyers, opportunities)
    assert dict(Opportunity.objects.values_list("ocid", "updated_at")) == stamps


def test_a_changed_release_updates_its_opportunity_in_place(ready, tmp_path):
    import_ocds(ANAC_SAMPLE)
    releases = sample_releases()
    releases[3]["tender"]["title"] = "Servizio di pulizia, titolo corretto"
    pk = Opportunity.objects.get(ocid=releases[3]["ocid"]).pk
    again = import_ocds(package(tmp_path, releases))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 11)
    assert Opportunity.objects.get(pk=pk).title == "Servizio di pulizia, titolo corretto"


def test_json_lines_and_gzip_import_too(ready, tmp_path):
    lines = ANAC_HISTORY.read_bytes()
    zipped = tmp_path / "history.jsonl.gz"
    zipped.write_bytes(gzip.compress(lines))
    report = import_ocds(zipped)
    assert report.read == len(lines.splitlines()) and not report.refused
    assert Opportunity.objects.count() == len({json.loads(line)["ocid"] for line in lines.splitlines()})


def test_a_truncated_file_writes_nothing(ready, tmp_path):
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(ANAC_SAMPLE.read_bytes()[:5000])
    with pytest.raises(ImportRefused, match=r"truncated\.json"):
        import_ocds(truncated)
    assert not Opportunity.objects.exists() and not Buyer.objects.exists()


def test_a_package_of_another_ocds_version_is_refused(ready, tmp_path):
    path = package(tmp_path, sample_releases()[:2], version="1.0")
    with pytest.raises(ImportRefused, match="version"):
        import_ocds(path)
    assert not Opportunity.objects.exists()


def test_one_bad_release_refuses_the_file_unless_the_valid_ones_are_accepted(ready, tmp_path):
    releases = sample_releases()[:3]
    releases[1] = {key: value for key, value in releases[1].items() if key != "ocid"}
    releases[2]["tender"]["value"] = {"amount": -5, "currency": "EUR"}
    path = package(tmp_path, releases)
    with pytest.raises(ImportRefused, match="2 of 3 releases refused") as refused:
        import_ocds(path)
    assert not Opportunity.objects.exists()
    fields = {refusal.field for refusal in refused.value.report.refused}
    assert "ocid" in fields and "tender/value/amount" in fields
    assert any("release 2" in refusal.location for refusal in refused.value.report.refused)

    accepted = import_ocds(path, accept_valid=True)
    assert accepted.created == 1 and len(accepted.refused) == 2
    assert list(Opportunity.objects.values_list("ocid", flat=True)) == [releases[0]["ocid"]]


def test_a_deadline_before_publication_is_refused_on_its_field(ready, tmp_path):
    release = sample_releases()[0]
    release["tender"]["tenderPeriod"] = {"startDate": "2022-02-18T12:00:00Z", "endDate": "2022-02-04T12:00:00Z"}
    with pytest.raises(ImportRefused) as refused:
        import_ocds(package(tmp_path, [release]))
    assert [refusal.field for refusal in refused.value.report.refused] == ["deadline"]


def test_a_dry_run_reports_and_writes_nothing(ready):
    report = import_ocds(ANAC_SAMPLE, dry_run=True)
    assert report.created == 12 and not report.written
    assert not Opportunity.objects.exists()


def test_the_command_reports_and_fails_clearly(ready, tmp_path):
    output = io.StringIO()
    call_command("import_ocds", str(ANAC_SAMPLE), stdout=output)
    text = output.getvalue()
    assert "12 releases read" in text and "12 created" in text and "malformed date" in text
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": "1.1", "releases": [{"ocid": ')
    with pytest.raises(CommandError, match=r"broken\.json"):
        call_command("import_ocds", str(broken), stdout=io.StringIO())
    assert Opportunity.objects.count() == 12
    assert Opportunity.objects.get(ocid="ocds-hu01ve-8114164").value == Decimal(
        str(sample_releases()[0]["tender"]["value"]["amount"])
    )


def sample_awards() -> list[tuple[str, dict]]:
    return [(release["ocid"], award) for release in sample_releases() for award in release.get("awards") or []]


def test_the_real_anac_awards_import_with_their_suppliers_lots_and_values(ready):
    # BETADUE, a type B social cooperative among the suppliers of ocds-hu01ve-8365650, is in the ecosystem.
    betadue = Organization.objects.create(
        legal_name="Betadue cooperativa sociale", codice_fiscale="01587640515", legal_form=LegalForm.SOCIAL_COOP_B
    )
    report = import_ocds(ANAC_SAMPLE)
    expected = sample_awards()
    assert report.awards == len(expected) == Award.objects.count() and not report.refused
    assert Award.objects.filter(source=Award.Source.OCDS, status=Award.Status.ACTIVE).count() == len(expected)
    award = Award.objects.get(opportunity__ocid="ocds-hu01ve-8365650")
    assert award.ocds_award_id == "2754824" and award.value == Decimal("6359227.39")
    assert award.date.isoformat() == "2022-07-18" and award.raw["id"] == "2754824"
    assert award.lot is not None and award.lot.title == "8998391B27"
    suppliers = {supplier.codice_fiscale: supplier for supplier in award.suppliers.all()}
    assert set(suppliers) == {"00311310379", "01587640515"}
    assert suppliers["01587640515"].organization == betadue and suppliers["00311310379"].organization is None
    without_suppliers = [notice for notice in report.notices if notice.field.endswith("/suppliers")]
    assert len(without_suppliers) == sum(1 for _ocid, award in expected if not award.get("suppliers"))


def test_importing_again_replaces_the_awards_in_place_and_keeps_their_social_value(ready, tmp_path):
    load_social_value()
    import_ocds(ANAC_SAMPLE)
    award = Award.objects.get(opportunity__ocid="ocds-hu01ve-8365650")
    commit_social_value(
        award=award,
        measure=SocialValueMeasure.objects.get(code="training-hours"),
        quantity=Decimal("100"),
        period_start=date(2022, 8, 1),
        period_end=date(2023, 7, 31),
    )
    before = set(Award.objects.values_list("pk", flat=True))
    again = import_ocds(ANAC_SAMPLE)
    assert again.awards == len(before) and set(Award.objects.values_list("pk", flat=True)) == before
    assert AwardSupplier.objects.filter(award=award).count() == 2 and award.commitments.count() == 1

    # A release that no longer has an award removes it; one with a new id writes it.
    releases = sample_releases()
    target = next(release for release in releases if release["ocid"] == "ocds-hu01ve-8365650")
    target["awards"][0]["id"] = "9999999"
    import_ocds(package(tmp_path, releases))
    replaced = Award.objects.get(opportunity__ocid="ocds-hu01ve-8365650")
    assert replaced.ocds_award_id == "9999999" and not replaced.commitments.exists()


def test_a_bad_award_refuses_its_release_on_the_award_field(ready, tmp_path):
    releases = [release for release in sample_releases() if release.get("awards")][:2]
    releases[0]["awards"][0]["date"] = "2020-01-01T12:00:00Z"  # before the tender's publication
    releases[1]["awards"][0]["value"] = {"amount": -10, "currency": "EUR"}
    with pytest.raises(ImportRefused) as refused:
        import_ocds(package(tmp_path, releases))
    fields = sorted(refusal.field for refusal in refused.value.report.refused)
    assert fields == ["awards/0/date", "awards/0/value/amount"]
    assert not Award.objects.exists() and not Opportunity.objects.exists()
    accepted = import_ocds(package(tmp_path, releases), accept_valid=True)
    assert accepted.created == 0 and not Award.objects.exists()


def test_the_history_file_keeps_the_awards_of_the_last_release_of_each_process(ready):
    lines = [json.loads(line) for line in ANAC_HISTORY.read_text(encoding="utf-8").splitlines()]
    last = {release["ocid"]: release for release in lines}
    report = import_ocds(ANAC_HISTORY)
    assert not report.refused
    expected = sum(
        len([a for a in release.get("awards") or [] if a.get("status", "active") in ("active", "cancelled")])
        for release in last.values()
    )
    assert Award.objects.count() == expected
