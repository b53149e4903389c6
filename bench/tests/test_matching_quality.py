"""The matcher on the project's labelled set: never an ineligible organization, and clearly better than a naive
CPV-division overlap. If a change to the score makes the ranking worse on this set, this fails."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from bench.matching_quality import evaluate, needed_cpv_codes, read_labelled
from socialplan.ecosystem.models import CpvCode
from socialplan.opportunities.legal_bases import load_legal_bases
from socialplan.territory.services import load_territory


@pytest.fixture
def labelled(db):
    data = read_labelled()
    load_territory(code="TO")
    load_legal_bases()
    codes = needed_cpv_codes(data)
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
    assert set(CpvCode.objects.values_list("code", flat=True)) == codes
    return data


def test_the_matcher_beats_a_naive_cpv_overlap_on_the_labelled_set(labelled):
    with translation.override("it"):
        result = evaluate(labelled)
    matcher, naive = result["matcher"], result["naive_cpv_division_overlap"]
    assert matcher["ineligible_in_top10"] == 0
    assert naive["ineligible_in_top10"] > 0  # the law matters: a keyword matcher proposes who may not answer
    assert matcher["ndcg_at_5"] >= 0.85
    assert matcher["ndcg_at_5"] >= naive["ndcg_at_5"] + 0.1
    assert matcher["ndcg_at_5"] >= result["naive_overlap_after_eligibility"]["ndcg_at_5"] + 0.1
    assert matcher["first_relevant"] >= 0.85
    # The cases, by name.
    assert result["top3"]["reserved-cleaning"]["matcher"][0] == "verde-pulito"
    assert result["top3"]["art5-laundry"]["matcher"][0] == "lavanderia-arcobaleno"
