"""Ranking quality of the matcher on the project's labelled set, against a naive CPV-division overlap.

The set (bench/data/matching_labelled.yaml) is 30 organizations of the Turin
area and 20 opportunities, six of them real ANAC releases, with graded
relevance (2, 1, else 0) written from the texts. For each opportunity with
something relevant, three rankings are compared:

- the matcher (`rank_organizations`, every eligible organization);
- the naive baseline: every organization by how many CPV divisions it shares
  with the opportunity (ties by the order of the file), with no eligibility,
  as a keyword matcher would;
- the same baseline after the eligibility filter, to see what the score adds
  beyond the law.

Printed: mean NDCG@5 (gains 2^grade - 1), precision of the first result
(relevant at all), and how many ineligible organizations appear in the top
10 (must be 0 for the matcher). One command, on a fresh SQLite database:

    .venv/bin/python bench/matching_quality.py

`evaluate()` is what the test in bench/tests runs.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LABELLED = Path(__file__).resolve().parent / "data" / "matching_labelled.yaml"
KIND_OF_BASIS = {
    "dlgs36-2023-public-tender": "public_tender",
    "dlgs36-2023-art61": "reserved_contract",
    "l381-1991-art5": "type_b_convention",
    "dlgs117-2017-art55": "co_design",
    "dlgs117-2017-art56": "odv_aps_convention",
    "private-procurement": "private_procurement",
    "finance-instrument": "finance",
    "training-programme": "training",
    "public-asset-concession": "public_asset",
}
TOP = 5


@dataclass
class Scores:
    ndcg: list[float] = field(default_factory=list)
    first_relevant: list[bool] = field(default_factory=list)
    ineligible_in_top10: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "ndcg_at_5": round(sum(self.ndcg) / len(self.ndcg), 3) if self.ndcg else None,
            "first_relevant": round(sum(self.first_relevant) / len(self.first_relevant), 3)
            if self.first_relevant
            else None,
            "ineligible_in_top10": self.ineligible_in_top10,
        }


def ndcg(ranked: list[str], grades: dict[str, int], *, top: int = TOP) -> float:
    def gain(grade: int) -> float:
        return (2**grade) - 1

    dcg = sum(gain(grades.get(key, 0)) / math.log2(position + 2) for position, key in enumerate(ranked[:top]))
    ideal = sorted(grades.values(), reverse=True)[:top]
    best = sum(gain(grade) / math.log2(position + 2) for position, grade in enumerate(ideal))
    return dcg / best if best else 0.0


def read_labelled(path: Path = LABELLED) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_labelled(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Create the set's organizations and opportunities (through the services); returns both by key.

    Needs the comuni of the Turin territory, the legal bases and the CPV codes the set names.
    """
    from socialplan.ecosystem.demo import invented_codice_fiscale
    from socialplan.ecosystem.models import AtecoActivity, Organization
    from socialplan.ecosystem.reference import lookup_ateco
    from socialplan.opportunities.models import Buyer, LegalBasis
    from socialplan.opportunities.services import LotSpec, create_opportunity
    from socialplan.territory.models import Comune

    comuni = {comune.istat_code: comune for comune in Comune.objects.all()}
    organizations = {}
    for number, entry in enumerate(data["organizations"], start=1):
        section = entry.get("section", "d" if entry["form"].startswith(("coop", "social")) else "")
        organization = Organization.objects.create(
            legal_name=entry["key"].replace("-", " ").title(),
            codice_fiscale=invented_codice_fiscale(progressive=7_000_000 + number),
            legal_form=entry["form"],
            runts_section=section,
            runts_registered_on=entry.get("registered"),
            disadvantaged_share=Decimal(str(entry["share"])) if "share" in entry else None,
            workforce=entry.get("workforce"),
            description=entry["description"],
            seat_comune=comuni[entry["comuni"][0]],
        )
        organization.comuni_served.set([comuni[code] for code in entry["comuni"]])
        organization.cpv_codes.set(entry["cpv"])
        for position, code in enumerate(entry["ateco"]):
            found = lookup_ateco(code)
            AtecoActivity.objects.create(
                organization=organization,
                code=found.code,
                edition=found.edition,
                section=found.section,
                title=found.title,
                is_primary=position == 0,
            )
        organizations[entry["key"]] = organization
    buyer = Buyer.objects.create(name="Ente di prova", kind=Buyer.Kind.PUBLIC)
    bases = {basis.code: basis for basis in LegalBasis.objects.all()}
    on: date = data["as_of"]
    opportunities = {}
    for entry in data["opportunities"]:
        kind = KIND_OF_BASIS[entry["basis"]]
        fields: dict[str, Any] = {
            "kind": kind,
            "legal_basis": bases[entry["basis"]],
            "buyer": buyer,
            "title_it": entry["title"],
            "title_en": entry["title"],
            "published_on": on,
            "value": Decimal(str(entry["value"])) if "value" in entry else None,
            "whole_area": entry.get("whole_area", False),
            "reserved_participation": entry.get("reserved", ""),
            "third_sector_only": entry.get("third_sector_only", False),
            "ocid": entry.get("ocid"),
        }
        if kind == "co_design":
            fields["co_design_kind"] = "co_design"
        lots = [
            LotSpec(number=number, title=lot["title"], cpv_codes=tuple(lot["cpv"]))
            for number, lot in enumerate(entry.get("lots", []), start=1)
        ]
        opportunities[entry["key"]] = create_opportunity(
            cpv_codes=tuple(entry.get("cpv", [])),
            comuni=[comuni[code] for code in entry.get("comuni", [])],
            lots=lots,
            **fields,
        )
    return organizations, opportunities


def needed_cpv_codes(data: dict[str, Any]) -> set[str]:
    codes = {code for entry in data["organizations"] for code in entry["cpv"]}
    for entry in data["opportunities"]:
        codes.update(entry.get("cpv", []))
        codes.update(code for lot in entry.get("lots", []) for code in lot["cpv"])
    return codes


def evaluate(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load the set into the current (empty) database and compare the rankings."""
    from socialplan.matching import features
    from socialplan.matching.engine import prefetched, rank_organizations
    from socialplan.opportunities.eligibility import eligible_organizations
    from socialplan.opportunities.models import Opportunity

    data = data or read_labelled()
    organizations, opportunities = load_labelled(data)
    features.forget()
    key_of = {organization.pk: key for key, organization in organizations.items()}
    order = list(organizations)
    divisions = {
        key: {code[:2] for code in entry["cpv"]} for key, entry in zip(order, data["organizations"], strict=True)
    }
    on: date = data["as_of"]
    matcher, naive, naive_eligible = Scores(), Scores(), Scores()
    per_opportunity = {}
    for entry in data["opportunities"]:
        opportunity = prefetched(Opportunity.objects.filter(pk=opportunities[entry["key"]].pk)).get()
        grades = entry["relevant"]
        eligible = {key_of[pk] for pk in eligible_organizations(opportunity, on=on).values_list("id", flat=True)}
        ranked = [key_of[match.organization_id] for match in rank_organizations(opportunity, limit=len(order), on=on)]
        wanted = {code[:2] for code in entry.get("cpv", [])} | {
            code[:2] for lot in entry.get("lots", []) for code in lot["cpv"]
        }
        overlap = sorted(order, key=lambda key: (-len(divisions[key] & wanted), order.index(key)))
        overlap = [key for key in overlap if divisions[key] & wanted]
        overlap_eligible = [key for key in overlap if key in eligible]
        for scores, ranking in ((matcher, ranked), (naive, overlap), (naive_eligible, overlap_eligible)):
            scores.ineligible_in_top10 += sum(1 for key in ranking[:10] if key not in eligible)
            if grades:
                scores.ndcg.append(ndcg(ranking, grades))
                scores.first_relevant.append(bool(ranking) and grades.get(ranking[0], 0) > 0)
        per_opportunity[entry["key"]] = {"matcher": ranked[:3], "naive": overlap[:3]}
    return {
        "matcher": matcher.summary(),
        "naive_cpv_division_overlap": naive.summary(),
        "naive_overlap_after_eligibility": naive_eligible.summary(),
        "opportunities": len(data["opportunities"]),
        "organizations": len(order),
        "top3": per_opportunity,
    }


def main() -> int:
    import io
    import os

    with tempfile.TemporaryDirectory(prefix="socialplan-bench-") as workdir:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialplan.settings.dev")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/quality.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command

        from socialplan.opportunities.legal_bases import load_legal_bases
        from socialplan.territory.services import load_territory

        call_command("migrate", interactive=False, verbosity=0)
        load_territory(code="TO")
        call_command("load_cpv", stdout=io.StringIO())
        load_legal_bases()
        result = evaluate()
    print(json.dumps({key: value for key, value in result.items() if key != "top3"}, indent=2))
    for key, top in result["top3"].items():
        print(f"  {key}: matcher {', '.join(top['matcher'])} | naive {', '.join(top['naive'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
