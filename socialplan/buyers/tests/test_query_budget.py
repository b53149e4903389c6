"""The buyers' lists cost the same number of queries with one contract or ten."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.models import SocialValueMeasure
from socialplan.opportunities.social_value import commit_social_value, report_delivery
from socialplan.opportunities.tests.factories import make_opportunity

from .conftest import url


def _grow(setting, legal_bases, count):
    measure = SocialValueMeasure.objects.get(code="training-hours")
    for number in range(count):
        opportunity = make_opportunity(
            legal_bases["dlgs36-2023-art61"], setting.buyer, title_it=f"Servizio {number}", cpv_codes=("90911200",)
        )
        award = record_award(
            opportunity=opportunity,
            suppliers=[SupplierSpec(organization=setting.supplier)],
            date=date(2026, 5, 4),
            value=Decimal("1000"),
        )
        commitment = commit_social_value(
            award=award,
            measure=measure,
            quantity=Decimal("10"),
            period_start=date(2026, 6, 1),
            period_end=date(2026, 12, 31),
        )
        report_delivery(
            commitment=commitment, period_start=date(2026, 6, 1), period_end=date(2026, 6, 30), quantity=Decimal("2")
        )


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_buyer_area_and_the_supplier_area_keep_their_query_budget(client, setting, legal_bases):
    pages = [
        (setting.people.member, url("buyers:area", setting.buyer.pk)),
        (setting.people.supplier_member, url("buyers:supplier_area")),
    ]
    _grow(setting, legal_bases, 1)
    small = []
    for user, path in pages:
        client.force_login(user)
        small.append(_queries(client, path))
    _grow(setting, legal_bases, 9)
    large = []
    for user, path in pages:
        client.force_login(user)
        large.append(_queries(client, path))
    assert small == large
