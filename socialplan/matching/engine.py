"""The matcher: organizations ranked for an opportunity, opportunities ranked for an organization.

Eligibility is a hard filter, the very conditions of
`socialplan.opportunities.eligibility`: an organization that may not answer is
never scored. The score (0-100) is a weighted mean of seven components, each
between 0 and 1, over the components that apply (an opportunity without CPV
codes has no CPV affinity to weigh):

| component | weight | what it measures |
| --- | --- | --- |
| cpv | 0.30 | the best affinity of the organization's CPV capabilities to each CPV code wanted |
| ateco | 0.10 | whether its ATECO activities usually supply the codes wanted |
| text | 0.15 | TF-IDF cosine of the descriptions, Italian stems |
| territory | 0.15 | serves or is seated in the comuni, or elsewhere in the same area |
| capacity | 0.10 | workforce against the value (about EUR 40,000 of work per worker and year) |
| awards | 0.10 | contracts already won in the same CPV division |
| reserved | 0.10 | participation is reserved to organizations like it (fewer competitors) |

Ranking an opportunity's organizations scores every eligible organization at
once, from the numpy columns of `features.OrganizationArrays`, with the very
operations of the functions that score and explain one pair (a test pins them to
the bit), so the stored scores, the lists and the explanations agree; the
eligibility mask is the SQL hard filter's conditions applied to the same
columns (a test pins it to the SQL). `ALGORITHM` names this version; stored
rankings of another version are stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

import numpy as np
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socialplan.ecosystem.models import CpvCode, LegalForm, Organization
from socialplan.opportunities.eligibility import Eligibility, conditions, eligibility
from socialplan.opportunities.models import Lot, Opportunity

from .affinity import LEVEL_NAMES, ateco_affinity, cpv_affinity
from .features import (
    OpportunityFeatures,
    OrganizationArrays,
    OrganizationFeatures,
    OrganizationIndex,
    conditions_key,
    open_opportunities,
    opportunity_entries,
    opportunity_features,
    organization_index,
)
from .text import shared_terms

ALGORITHM = "1.1"

WEIGHTS = {
    "cpv": 0.30,
    "ateco": 0.10,
    "text": 0.15,
    "territory": 0.15,
    "capacity": 0.10,
    "awards": 0.10,
    "reserved": 0.10,
}
W_CPV, W_ATECO, W_TEXT, W_TERRITORY = WEIGHTS["cpv"], WEIGHTS["ateco"], WEIGHTS["text"], WEIGHTS["territory"]
W_CAPACITY, W_AWARDS, W_RESERVED = WEIGHTS["capacity"], WEIGHTS["awards"], WEIGHTS["reserved"]
# Work a worker carries in a year, to compare a workforce with a contract's value.
VALUE_PER_WORKER = 40_000.0
# A cosine of 0.5 between two short descriptions is already a close match.
TEXT_FULL_AT = 0.5


@dataclass(frozen=True)
class Reason:
    component: str
    score: float  # 0-1, or -1 when the component does not apply
    text: str


@dataclass(frozen=True)
class Match:
    organization_id: int
    opportunity_id: int
    score: float  # 0-100
    components: dict[str, float | None]
    eligibility: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()
    name: str = ""
    title: str = ""


# --- components, one pair at a time -------------------------------------------------------------


def cpv_component(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> float | None:
    if not opportunity.cpv:
        return None
    if not organization.cpv:
        return 0.0
    return combine_cpv(
        [max(cpv_affinity(wanted, capability)[0] for capability in organization.cpv) for wanted in opportunity.cpv]
    )


def combine_cpv(best: list[float]) -> float:
    """The CPV component from the best affinity to each code wanted: 60% the best, 40% the mean."""
    return max(best) * 0.6 + (sum(best) / len(best)) * 0.4


def ateco_component(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> float | None:
    if not opportunity.cpv:
        return None
    if not organization.ateco:
        return 0.0
    return max(ateco_affinity(wanted, code)[0] for wanted in opportunity.cpv for code in organization.ateco)


def text_score(vector: dict[str, float], opportunity_vector: list[tuple[str, float]], words: frozenset[str]) -> float:
    """The cosine of two normalised vectors, read in the opportunity's order, scaled to 0-1 (`words`: the
    opportunity's stems). Only the shared stems are added: adding the others' 0.0 would change nothing."""
    shared = vector.keys() & words
    if not shared:
        return 0.0
    return min(1.0, sum(weight * vector[stem] for stem, weight in opportunity_vector if stem in shared) / TEXT_FULL_AT)


def text_component(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> float | None:
    if not opportunity.vector:
        return None
    return text_score(organization.vector, list(opportunity.vector.items()), frozenset(opportunity.vector))


def territory_component(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> float | None:
    if opportunity.comuni:
        if organization.comuni & opportunity.comuni:
            return 1.0
        if organization.territories & opportunity.territories:
            return 0.4
        return 0.0
    if opportunity.whole_area:
        if not organization.comuni:
            return 0.0
        if not opportunity.territories or organization.territories & opportunity.territories:
            return 1.0
        return 0.0
    return None


def capacity_component(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> float | None:
    if not opportunity.value:
        return None
    if organization.workforce is None:
        return 0.3
    return min(1.0, organization.workforce * VALUE_PER_WORKER / float(opportunity.value))


def awards_component(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> float | None:
    won = organization.awards_by_division
    if not won:
        return 0.0
    same = sum(won.get(division, 0) for division in opportunity.divisions)
    if same:
        return min(1.0, 0.4 + 0.2 * same)
    return 0.2


def reserved_component(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> float | None:
    return 1.0 if opportunity.restricted else 0.0


MISSING: Any = object()

COMPONENTS = {
    "cpv": cpv_component,
    "ateco": ateco_component,
    "text": text_component,
    "territory": territory_component,
    "capacity": capacity_component,
    "awards": awards_component,
    "reserved": reserved_component,
}


def components_of(organization: OrganizationFeatures, opportunity: OpportunityFeatures) -> dict[str, float | None]:
    return {name: function(organization, opportunity) for name, function in COMPONENTS.items()}


def score_of(
    cpv: float | None,
    ateco: float | None,
    text: float | None,
    territory: float | None,
    capacity: float | None,
    awards: float | None,
    reserved: float | None,
) -> float:
    """The weighted mean over the components that apply (None: does not apply), 0-100, one decimal.

    The order of the additions is fixed, so the same components always give the same score to the last bit;
    `best_organizations` adds its columns in this very order.
    """
    weight = points = 0.0
    if cpv is not None:
        weight += W_CPV
        points += W_CPV * cpv
    if ateco is not None:
        weight += W_ATECO
        points += W_ATECO * ateco
    if text is not None:
        weight += W_TEXT
        points += W_TEXT * text
    if territory is not None:
        weight += W_TERRITORY
        points += W_TERRITORY * territory
    if capacity is not None:
        weight += W_CAPACITY
        points += W_CAPACITY * capacity
    if awards is not None:
        weight += W_AWARDS
        points += W_AWARDS * awards
    if reserved is not None:
        weight += W_RESERVED
        points += W_RESERVED * reserved
    return round(100 * points / weight, 1) if weight else 0.0


def total(components: dict[str, float | None]) -> float:
    return score_of(**components)


# --- explanations ------------------------------------------------------------------------------


def _cpv_label(code: str, labels: dict[str, str]) -> str:
    label = labels.get(code)
    return f"{code} ({label})" if label else code


def explain(
    organization: OrganizationFeatures,
    opportunity: OpportunityFeatures,
    components: dict[str, float | None],
    index: OrganizationIndex,
    labels: dict[str, str],
) -> tuple[Reason, ...]:
    """Each component in plain words, strongest first; components that do not apply are left out."""
    reasons: list[Reason] = []

    def add(name: str, text: str) -> None:
        value = components[name]
        if value is not None:
            reasons.append(Reason(component=name, score=value, text=text))

    if components["cpv"] is not None:
        best = None
        for wanted in opportunity.cpv:
            for capability in organization.cpv:
                score, depth = cpv_affinity(wanted, capability)
                if score and (best is None or score > best[0]):
                    best = (score, depth, wanted, capability)
        if best is None:
            add("cpv", _("No CPV capability close to the codes wanted"))
        elif best[1] == 8:
            add(
                "cpv",
                _("CPV %(wanted)s matches your capability %(capability)s")
                % {"wanted": _cpv_label(best[2], labels), "capability": _cpv_label(best[3], labels)},
            )
        else:
            level = {"division": _("division"), "group": _("group"), "class": _("class")}[LEVEL_NAMES[best[1]]]
            add(
                "cpv",
                _("CPV %(wanted)s shares the %(level)s with your capability %(capability)s")
                % {"wanted": _cpv_label(best[2], labels), "level": level, "capability": _cpv_label(best[3], labels)},
            )
    if components["ateco"] is not None:
        best_ateco = max(
            ((ateco_affinity(wanted, code), wanted, code) for wanted in opportunity.cpv for code in organization.ateco),
            key=lambda item: item[0][0],
            default=None,
        )
        if best_ateco is None or not best_ateco[0][0]:
            add("ateco", _("No ATECO activity that usually supplies these codes"))
        else:
            add(
                "ateco",
                _("Your ATECO activity %(ateco)s usually supplies CPV %(wanted)s")
                % {"ateco": best_ateco[2], "wanted": best_ateco[1]},
            )
    if components["text"] is not None:
        terms = [index.vocabulary.word(stem) for stem in shared_terms(opportunity.vector, organization.vector)]
        if terms:
            add("text", _("Descriptions share the words: %(words)s") % {"words": ", ".join(terms)})
        else:
            add("text", _("Descriptions share no significant word"))
    if components["territory"] is not None:
        served = sorted(index.comune_names.get(pk, "") for pk in organization.comuni & opportunity.comuni)
        if served:
            add("territory", _("Works in %(comuni)s") % {"comuni": ", ".join(served[:3])})
        elif components["territory"]:
            add("territory", _("Works in the same metropolitan area"))
        else:
            add("territory", _("Works outside the territory of the opportunity"))
    if components["capacity"] is not None:
        if organization.workforce is None:
            add("capacity", _("Workforce not declared"))
        else:
            add(
                "capacity",
                _("%(workers)s workers for a value of EUR %(value)s")
                % {"workers": organization.workforce, "value": f"{opportunity.value:,.0f}".replace(",", ".")},
            )
    won = organization.awards_by_division
    same = sum(won.get(division, 0) for division in opportunity.divisions)
    if same:
        add(
            "awards",
            ngettext(
                "%(count)s contract already won in the same field",
                "%(count)s contracts already won in the same field",
                same,
            )
            % {"count": same},
        )
    elif won:
        add("awards", _("Contracts already won in other fields"))
    else:
        add("awards", _("No contract won on record"))
    if opportunity.restricted:
        add("reserved", _("Participation is reserved to organizations like yours"))
    else:
        add("reserved", _("Open to every operator"))
    return tuple(sorted(reasons, key=lambda reason: -WEIGHTS[reason.component] * reason.score))


# --- ranking organizations for an opportunity --------------------------------------------------

_eligible_cache: dict[tuple, np.ndarray] = {}


def eligible_rows(opportunity: Opportunity, *, on: date, index: OrganizationIndex) -> np.ndarray:
    """The mask of the organizations that may answer, by the very conditions of the SQL filter
    (`eligible_organizations`) applied to the kept columns; kept per set of conditions."""
    key = (index.build, conditions_key(opportunity, on=on)[1:])
    found = _eligible_cache.get(key)
    if found is None:
        if len(_eligible_cache) > 64:
            _eligible_cache.clear()
        found = _eligible_cache[key] = index.arrays.eligible(conditions(opportunity, on=on))
    return found


def eligible_ids(opportunity: Opportunity, *, on: date, index: OrganizationIndex) -> frozenset[int]:
    """The ids of the organizations that may answer."""
    return frozenset(index.arrays.ids[eligible_rows(opportunity, on=on, index=index)].tolist())


def prefetched(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """Opportunities with what their features read."""
    return queryset.select_related("legal_basis", "buyer").prefetch_related(
        "cpv_codes", "comuni", Prefetch("lots", queryset=Lot.objects.prefetch_related("cpv_codes"))
    )


def cpv_labels(codes: Iterable[str]) -> dict[str, str]:
    field = "label_en" if _language_is_english() else "label_it"
    return dict(CpvCode.objects.filter(code__in=set(codes)).values_list("code", field))


def _language_is_english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "it").startswith("en")


def rank_organizations(
    opportunity: Opportunity, *, limit: int = 20, on: date | None = None, explain_reasons: bool = True
) -> list[Match]:
    """The best `limit` eligible organizations for an opportunity, best first, with their reasons."""
    on = on or timezone.localdate()
    index = organization_index()
    features = opportunity_features(opportunity, index)
    best = best_organizations(features, eligible_rows(opportunity, on=on, index=index), index.arrays, limit=limit)
    organizations = index.organizations
    labels = (
        cpv_labels([*features.cpv, *(code for pk, _, _ in best for code in organizations[pk].cpv)])
        if explain_reasons
        else {}
    )
    result = []
    for pk, score, components in best:
        organization = organizations[pk]
        result.append(
            Match(
                organization_id=pk,
                opportunity_id=opportunity.id,
                score=score,
                components=components,
                reasons=explain(organization, features, components, index, labels) if explain_reasons else (),
                name=organization.name,
                title=features.title,
            )
        )
    return result


def _best_affinity(pairs: Iterable[tuple[float, Any]], rows_of: Any, size: int) -> np.ndarray:
    """Per organization, the highest affinity of the keys it holds (0 for none): `pairs` are (affinity, key)."""
    best = np.zeros(size)
    for affinity, key in sorted(pairs, key=itemgetter(0)):
        best[rows_of(key)] = affinity  # ascending: a higher affinity overwrites a lower one
    return best


def component_columns(
    features: OpportunityFeatures, arrays: OrganizationArrays
) -> dict[str, np.ndarray | float | None]:
    """Every component for every organization at once (a column, or one value for all, or None when it does not
    apply), with the very operations, in the same order, as the functions of one pair: the same bits."""
    size = len(arrays.ids)
    columns: dict[str, np.ndarray | float | None] = dict.fromkeys(COMPONENTS)
    if features.cpv:
        per_wanted = [
            _best_affinity(
                (
                    (cpv_affinity(wanted, code)[0], code)
                    for code in arrays.cpv_codes_by_division.get(wanted[:2], ())
                    if cpv_affinity(wanted, code)[0]
                ),
                arrays.cpv.rows_of,
                size,
            )
            for wanted in features.cpv
        ]
        highest, added = per_wanted[0].copy(), per_wanted[0].copy()
        for best in per_wanted[1:]:
            np.maximum(highest, best, out=highest)
            added += best
        columns["cpv"] = highest * 0.6 + (added / len(per_wanted)) * 0.4
        activities = (
            (max(ateco_affinity(wanted, division)[0] for wanted in features.cpv), division)
            for division in arrays.activity_division
        )
        columns["ateco"] = _best_affinity(
            ((affinity, division) for affinity, division in activities if affinity),
            arrays.activity_division.rows_of,
            size,
        )
    if features.vector:
        shared = np.zeros(size)
        for stem, weight in features.vector.items():
            rows = arrays.text.rows_of(stem)
            shared[rows] += weight * arrays.text.values_of(stem)
        columns["text"] = np.minimum(1.0, shared / TEXT_FULL_AT)
    if features.comuni:
        near = np.where(arrays.territory.any_of(features.territories, size), 0.4, 0.0)
        columns["territory"] = np.where(arrays.comune.any_of(features.comuni, size), 1.0, near)
    elif features.whole_area:
        near = arrays.territory.any_of(features.territories, size) if features.territories else True
        columns["territory"] = np.where(arrays.has_comuni & near, 1.0, 0.0)
    if features.value:
        value = float(features.value)
        with np.errstate(invalid="ignore"):
            columns["capacity"] = np.where(
                np.isnan(arrays.workforce), 0.3, np.minimum(1.0, arrays.workforce * VALUE_PER_WORKER / value)
            )
    same = np.zeros(size)
    for division in features.divisions:
        same[arrays.awards.rows_of(division)] += arrays.awards.values_of(division)
    columns["awards"] = np.where(arrays.has_awards, np.where(same > 0, np.minimum(1.0, 0.4 + 0.2 * same), 0.2), 0.0)
    columns["reserved"] = 1.0 if features.restricted else 0.0
    return columns


def best_organizations(
    features: OpportunityFeatures, eligible: np.ndarray, arrays: OrganizationArrays, *, limit: int
) -> list[tuple[int, float, dict[str, float | None]]]:
    """The `limit` best eligible organizations as (id, score, components), best first, ties to the older one.

    Every eligible organization is scored at once. The weighted sum is added in `score_of`'s order, so it
    is the same float; only its rounding to one decimal differs in numpy (halves), so the best by numpy's
    rounding, with a margin of two tenths, are rounded again as `score_of` does before the final order.
    """
    columns = component_columns(features, arrays)
    weight = 0.0
    points: Any = 0.0
    for name, column in columns.items():
        if column is not None:
            weight += WEIGHTS[name]
            points = points + WEIGHTS[name] * column
    rows = np.flatnonzero(eligible)
    if not rows.size or not weight:
        return []
    raw = (100 * points / weight)[rows]
    if rows.size > limit:
        rounded = np.round(raw, 1)
        kth = np.partition(rounded, rows.size - limit)[rows.size - limit]
        kept = rounded >= kth - 0.2 - 1e-9
        rows, raw = rows[kept], raw[kept]
    scores = [round(value, 1) for value in raw.tolist()]
    ids = arrays.ids[rows].tolist()
    order = sorted(range(len(rows)), key=lambda position: (-scores[position], ids[position]))[:limit]
    return [
        (
            ids[position],
            scores[position],
            {
                name: None if column is None else float(column if np.isscalar(column) else column[rows[position]])
                for name, column in columns.items()
            },
        )
        for position in order
    ]


# --- ranking opportunities for an organization -------------------------------------------------


def rank_opportunities(
    organization: Organization,
    *,
    limit: int | None = 50,
    on: date | None = None,
    opportunities: QuerySet[Opportunity] | None = None,
) -> list[Match]:
    """The open opportunities an organization may answer, best first, with eligibility and reasons."""
    on = on or timezone.localdate()
    index = organization_index()
    features = index.organizations.get(organization.pk)
    if features is None:
        return []
    queryset = opportunities if opportunities is not None else Opportunity.objects.filter(open_opportunities())
    decisions: dict[tuple, Eligibility] = {}
    scored = []
    for entry in opportunity_entries(queryset.values_list("id", flat=True), index):
        key = conditions_key(entry.opportunity, on=on)
        decision = decisions.get(key)
        if decision is None:
            decision = decisions[key] = eligibility(organization, entry.opportunity, on=on)
        if not decision.eligible:
            continue
        components = components_of(features, entry.features)
        scored.append((total(components), -entry.opportunity.pk, components, entry.features, decision))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    chosen = scored if limit is None else scored[:limit]
    labels = cpv_labels([*features.cpv, *(code for item in chosen for code in item[3].cpv)])
    return [
        Match(
            organization_id=organization.pk,
            opportunity_id=opportunity_data.id,
            score=score,
            components=components,
            eligibility=tuple(decision.reasons),
            reasons=explain(features, opportunity_data, components, index, labels),
            name=features.name,
            title=opportunity_data.title,
        )
        for score, _, components, opportunity_data, decision in chosen
    ]


def explain_pair(organization: Organization, opportunity: Opportunity, *, on: date | None = None) -> Match | None:
    """One organization against one opportunity: None when it may not answer."""
    found = rank_opportunities(
        organization, limit=1, on=on, opportunities=Opportunity.objects.filter(pk=opportunity.pk)
    )
    return found[0] if found else None


def legal_form_label(code: str) -> str:
    return str(dict(LegalForm.choices).get(code, code))
