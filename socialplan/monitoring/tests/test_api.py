"""The monitoring API: the plan's indicators with approved values only, and clear 404s."""

from decimal import Decimal

from socialplan.accounts.models import User
from socialplan.monitoring.models import Indicator, Update

from .conftest import H1_2025, H2_2025
from .factories import approved


def test_the_list_has_every_indicator_with_its_latest_approved_value_and_status(client, torino, hired, reporter):
    approved(hired.periods.get(end=H1_2025), reporter, value=Decimal(10))
    approved(hired.periods.get(end=H2_2025), reporter, value=Decimal(15))
    other = User.objects.create_user(email="draft@example.org", password="x")
    Update.objects.create(period=hired.periods.get(end=H2_2025), reporter=other, value=Decimal(500))  # a draft

    body = client.get("/api/v1/indicators?plan=torino&limit=200").json()
    assert body["count"] == Indicator.objects.filter(plan=torino).count()
    found = next(item for item in body["items"] if item["code"] == "sp-disadvantaged-hired")
    assert found["latest"] == {"period_start": "2025-07-01", "period_end": "2025-12-31", "value": "25.0000"}
    assert found["target_value"] == "300.0000" and found["target_year"] == 2027
    assert found["status"] in {"on_track", "moderate_progress", "insufficient_progress", "target_achieved"}
    assert found["title_it"] and found["title_en"]


def test_an_indicator_has_its_points_in_order(client, torino, hired, reporter):
    approved(hired.periods.get(end=H1_2025), reporter, value=Decimal(10))
    approved(hired.periods.get(end=H2_2025), reporter, value=Decimal(15))
    body = client.get("/api/v1/indicators/sp-disadvantaged-hired").json()
    assert [(point["period_end"], point["value"]) for point in body["points"]] == [
        ("2025-06-30", "10.0000"),
        ("2025-12-31", "25.0000"),
    ]
    assert body["source_en"] == hired.source_en


def test_unknown_plans_and_indicators_are_named_in_a_404(client, torino):
    response = client.get("/api/v1/indicators?plan=nowhere")
    assert response.status_code == 404 and "nowhere" in response.json()["detail"]
    response = client.get("/api/v1/indicators/no-such-code")
    assert response.status_code == 404 and "no-such-code" in response.json()["detail"]
    assert client.get("/api/v1/indicators/bad code!").status_code in (404, 422)
