"""Scale data for the plan: the Turin plan filled up to the size of a real territory.

Benchmarks and query budgets mean something only at the size the platform must
serve. The Turin content file has 8 themes and a handful of objectives; a plan
in implementation has hundreds of actions and thousands of milestones.
`generate` tops the `torino` plan (loaded by `load_plan`) up to the totals of a
scale, under its 8 real themes, so that the portal, which shows the first plan,
shows the generated data.

Totals, not increments: a scale names how big the plan is, whatever the content
file already holds, so running `metro` twice adds nothing and `national` after
`metro` adds the difference. Generated elements have codes starting with
`gen-`; they are never mixed into the real objectives and actions.

Models are imported inside the functions: as a script, this module is loaded
before Django is set up.

Deterministic: the random generator is seeded with the scale name and statuses
are derived from the fixed date AS_OF, never from today, so two runs on a
freshly loaded plan give the same rows.

The ecosystem comes with the plan: organizations up to the scale's total
(20,000 at `metro`, 400,000 at `national`, the demo and real ones included),
seated over the territory's comuni by population and drawn by the demo's
inventor (socialplan/ecosystem/demo.py) from their serial number alone, so
organization number 1234 is the same at every scale; a lead and 2-4 partners
on every generated action; pledges with progress up to the scale's total.
Generated organizations have the source SCALE_SOURCE, are marked as demo and
have codici fiscali from progressive number 9000001 (the demo's start at
9990001). They are streamed in batches of ORGANIZATION_BATCH with their
ATECO activities and the through rows of comuni served and CPV codes, so
memory stays flat at any total. Without the territory's comuni (no
`load_territory`) the ecosystem is skipped and the result says so.

As a script:

    DJANGO_SETTINGS_MODULE=socialplan.settings.dev .venv/bin/python bench/scale.py --scale metro
"""

from __future__ import annotations

import argparse
import random
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import translation

if TYPE_CHECKING:
    from socialplan.ecosystem.demo import Member
    from socialplan.plan.models import Action, Objective, Plan, Theme

GENERATED_PREFIX = "gen-"
BATCH_SIZE = 500
# Statuses and completed milestones are computed as seen on this day, so that
# they agree with the dates and do not change with the day the generator runs.
AS_OF = date(2026, 10, 31)
# Used when the plan has no period of its own (the Turin content file gives none).
DEFAULT_WINDOW = (date(2025, 1, 1), date(2029, 12, 31))


# Organizations: streamed this many at a time, with their activities and links.
ORGANIZATION_BATCH = 2_000
SCALE_SOURCE = "Dati generati per i benchmark"
ORGANIZATION_SEED = "socialplan-bench-organization"
FIRST_PROGRESSIVE = 9_000_000
MAX_ORGANIZATIONS = 989_999  # up to the demo's range (9990001)


@dataclass(frozen=True)
class Scale:
    """Totals for the plan and its ecosystem once generated; themes stay the plan's own."""

    objectives: int
    actions: int
    milestones: int
    tools_per_action: float
    organizations: int = 0
    # Pledges on the plan's actions; in proportion to the actions (partnerships are a lead and 2-4 partners each).
    pledges: int = 0


SCALES: dict[str, Scale] = {
    "metro": Scale(
        objectives=60, actions=300, milestones=1_500, tools_per_action=1.0, organizations=20_000, pledges=1_000
    ),
    "national": Scale(
        objectives=600, actions=3_000, milestones=15_000, tools_per_action=1.0, organizations=400_000, pledges=10_000
    ),
}


@dataclass(frozen=True)
class Generated:
    """What `generate` added, and the totals afterwards; `notes` says what could not be generated and why."""

    scale: str
    plan: str
    created: dict[str, int]
    totals: dict[str, int]
    notes: list[str] = field(default_factory=list)


# Italian first, English beside it: (it, en) pairs, composed into titles so both
# languages say the same thing.
Phrase = tuple[str, str]

OBJECTIVE_VERBS: list[Phrase] = [
    ("Rafforzare", "Strengthen"),
    ("Incrementare", "Increase"),
    ("Migliorare", "Improve"),
    ("Diffondere", "Spread"),
    ("Consolidare", "Consolidate"),
    ("Valorizzare", "Make the most of"),
    ("Ampliare", "Widen"),
]
ACTION_VERBS: list[Phrase] = [
    ("Promuovere", "Promote"),
    ("Sostenere", "Support"),
    ("Sviluppare", "Develop"),
    ("Sperimentare", "Pilot"),
    ("Facilitare l'accesso a", "Facilitate access to"),
    ("Mettere in rete", "Connect"),
    ("Co-progettare", "Co-design"),
    ("Attivare", "Set up"),
    ("Censire e mappare", "Survey and map"),
]
TOPICS: dict[str, list[Phrase]] = {
    "governance": [
        ("la governance condivisa dell'economia sociale", "the shared governance of the social economy"),
        ("i tavoli di co-programmazione territoriale", "the local co-programming tables"),
        ("le reti tra enti locali e Terzo settore", "the networks between local authorities and the Third Sector"),
        ("i patti di collaborazione per i beni comuni", "the collaboration pacts for the commons"),
        ("il coordinamento tra i distretti della Città metropolitana", "coordination between the districts"),
    ],
    "social-procurement": [
        ("gli appalti riservati alle cooperative sociali", "contracts reserved for social cooperatives"),
        ("le clausole sociali negli appalti pubblici", "social clauses in public procurement"),
        ("la co-progettazione dei servizi di welfare", "the co-design of welfare services"),
        ("gli acquisti responsabili delle imprese private", "responsible purchasing by private companies"),
        ("l'affidamento di beni pubblici inutilizzati", "the assignment of unused public assets"),
    ],
    "impact-finance": [
        ("gli strumenti di finanza ad impatto sociale", "social impact finance instruments"),
        ("i fondi di garanzia per le imprese sociali", "guarantee funds for social enterprises"),
        ("il microcredito per l'autoimpiego", "microcredit for self-employment"),
        ("i contratti di outcome-based financing", "outcome-based financing contracts"),
        ("la capitalizzazione delle cooperative", "the capitalisation of cooperatives"),
    ],
    "inclusion": [
        ("i percorsi di inserimento lavorativo", "job placement pathways"),
        ("l'abitare sociale e temporaneo", "social and temporary housing"),
        ("i servizi di prossimità nei quartieri", "neighbourhood proximity services"),
        ("l'inclusione delle persone con disabilità", "the inclusion of people with disabilities"),
        ("il contrasto alla povertà educativa", "the fight against educational poverty"),
    ],
    "connections-innovation": [
        ("le piattaforme digitali cooperative", "cooperative digital platforms"),
        ("la mobilità sostenibile nelle aree interne", "sustainable mobility in inland areas"),
        ("l'innovazione tecnologica nelle imprese sociali", "technological innovation in social enterprises"),
        ("gli spazi di comunità e i poli civici", "community spaces and civic hubs"),
        ("la connettività nei comuni montani", "connectivity in mountain municipalities"),
    ],
    "skills-youth": [
        ("la formazione continua degli operatori", "continuous training for practitioners"),
        ("l'imprenditorialità sociale giovanile", "youth social entrepreneurship"),
        ("i percorsi per i giovani NEET", "pathways for young NEETs"),
        ("le competenze manageriali nel Terzo settore", "management skills in the Third Sector"),
        ("l'alternanza tra scuola e lavoro nell'economia sociale", "school-to-work schemes in the social economy"),
    ],
    "measurement": [
        ("la misurazione dell'impatto sociale", "social impact measurement"),
        ("gli indicatori condivisi di monitoraggio", "shared monitoring indicators"),
        ("la raccolta di dati aperti sull'economia sociale", "open data collection on the social economy"),
        ("la valutazione partecipata dei progetti", "participatory project evaluation"),
    ],
    "communication": [
        ("la comunicazione dei risultati del Piano", "communication of the Plan's results"),
        ("la visibilità delle imprese sociali del territorio", "the visibility of local social enterprises"),
        ("le campagne di sensibilizzazione", "awareness campaigns"),
        ("il racconto delle buone pratiche", "the telling of good practices"),
    ],
}
GENERAL_TOPICS: list[Phrase] = [topic for topics in TOPICS.values() for topic in topics]
TARGETS: list[Phrase] = [
    ("per i giovani under 35", "for young people under 35"),
    ("nelle aree interne e montane", "in inland and mountain areas"),
    ("nei comuni della cintura torinese", "in the towns around Turin"),
    ("con le imprese profit del territorio", "with local for-profit businesses"),
    ("per le donne in uscita da percorsi di fragilità", "for women leaving situations of vulnerability"),
    ("nei quartieri periferici di Torino", "in Turin's outer neighbourhoods"),
    ("in collaborazione con le fondazioni bancarie", "together with the banking foundations"),
    ("per le persone con background migratorio", "for people with a migrant background"),
    ("nel Canavese e nel Pinerolese", "in the Canavese and Pinerolo areas"),
    ("con le università e i centri di ricerca", "with universities and research centres"),
]
PARTNERS: list[Phrase] = [
    ("cooperative sociali, enti locali e fondazioni", "social cooperatives, local authorities and foundations"),
    ("associazioni di categoria e imprese sociali", "trade associations and social enterprises"),
    ("consorzi socio-assistenziali e ASL", "social-care consortia and health authorities"),
    ("scuole, agenzie formative e centri per l'impiego", "schools, training agencies and job centres"),
    ("reti civiche, volontariato e parrocchie", "civic networks, volunteers and parishes"),
]
ACTIVITIES: list[Phrase] = [
    ("un programma di incontri e laboratori", "a programme of meetings and workshops"),
    ("un avviso pubblico con risorse dedicate", "a public call with dedicated resources"),
    ("una sperimentazione di diciotto mesi", "an eighteen-month pilot"),
    ("un accompagnamento tecnico alle organizzazioni", "technical support to organisations"),
    ("la raccolta e la diffusione di dati", "the collection and sharing of data"),
]
MILESTONES: list[Phrase] = [
    ("Avvio del tavolo di lavoro", "Working group launched"),
    ("Mappatura dei soggetti coinvolti", "Actors involved mapped"),
    ("Pubblicazione dell'avviso", "Call published"),
    ("Firma del protocollo d'intesa", "Memorandum of understanding signed"),
    ("Selezione dei progetti", "Projects selected"),
    ("Avvio dei percorsi formativi", "Training courses started"),
    ("Lancio della piattaforma", "Platform launched"),
    ("Prima relazione di monitoraggio", "First monitoring report"),
    ("Evento pubblico di restituzione", "Public feedback event"),
    ("Approvazione del regolamento", "Regulation approved"),
    ("Chiusura della sperimentazione", "Pilot closed"),
    ("Valutazione finale", "Final evaluation"),
]
TOOLS: dict[str, list[Phrase]] = {
    "legal": [
        ("Protocollo d'intesa", "Memorandum of understanding"),
        ("Regolamento per l'amministrazione condivisa", "Regulation on shared administration"),
    ],
    "fund": [("Fondo rotativo", "Revolving fund"), ("Contributo a fondo perduto", "Grant")],
    "platform": [("Piattaforma digitale", "Digital platform"), ("Sportello territoriale", "Local help desk")],
    "training": [("Percorso formativo", "Training course"), ("Laboratorio di competenze", "Skills workshop")],
    "agreement": [
        ("Accordo di partenariato", "Partnership agreement"),
        ("Patto di collaborazione", "Collaboration pact"),
    ],
    "other": [("Kit di strumenti operativi", "Operational toolkit"), ("Linee guida", "Guidelines")],
}
STATUS_WEIGHTS_RUNNING = {"in_progress": 8, "delayed": 2}
STATUS_WEIGHTS_ENDED = {"done": 17, "delayed": 3}
WEIGHTS = [Decimal("1")] * 5 + [Decimal("2"), Decimal("3"), Decimal("0.5")]


def generate(*, scale: str, plan_slug: str = "torino", territory_code: str = "TO") -> Generated:
    """Top the plan and its ecosystem up to the totals of `scale`, in one transaction.

    Rows are written with bulk_create in batches: the generated data needs no
    change history (it is not plan content anyone edited), and per-row saves
    with their history rows would take minutes at national scale.
    """
    from socialplan.core.cache import bump_content_version
    from socialplan.plan.models import Plan

    if scale not in SCALES:
        raise ValueError(f"Unknown scale '{scale}'. Known scales: {', '.join(SCALES)}.")
    plan = Plan.objects.filter(slug=plan_slug).first()
    if plan is None:
        raise LookupError(f"No plan '{plan_slug}': load it first with `manage.py load_plan {plan_slug}`.")
    target = SCALES[scale]
    # The untranslated column takes the active language's text: Italian, the default.
    with translation.override("it"), transaction.atomic():
        created = _Generator(plan=plan, target=target, rng=random.Random(f"socialplan-bench-{scale}")).run()
        ecosystem = _EcosystemGenerator(
            plan=plan, target=target, territory_code=territory_code, rng=random.Random(f"socialplan-bench-{scale}-eco")
        )
        created |= ecosystem.run()
    # Bulk writes send no signals: cached public pages must be told the content changed.
    bump_content_version()
    _refresh_statistics()
    return Generated(
        scale=scale,
        plan=plan_slug,
        created=created,
        totals=plan_totals(plan=plan) | ecosystem_totals(plan=plan),
        notes=ecosystem.notes,
    )


def _refresh_statistics() -> None:
    """On PostgreSQL, ANALYZE what the generator wrote, as autovacuum would within a minute or so.

    Right after a bulk load the planner still believes the tables are nearly
    empty; measuring then would time plans that production never runs.
    SQLite keeps no statistics unless asked (Django never does), so it is
    left as deployed.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from socialplan.ecosystem.models import AtecoActivity, Organization, Partnership, Pledge, PledgeProgress
    from socialplan.plan.models import Action, Milestone, Objective, Tool

    models = [Objective, Action, Milestone, Tool, Organization, AtecoActivity, Partnership, Pledge, PledgeProgress]
    tables = [model._meta.db_table for model in models]
    tables += [Organization.comuni_served.through._meta.db_table, Organization.cpv_codes.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def plan_totals(*, plan: Plan) -> dict[str, int]:
    """Counts of each level of the plan, to check a scale and to label results."""
    from socialplan.plan.models import Action, Milestone, Objective, Tool

    return {
        "themes": plan.themes.count(),
        "objectives": Objective.objects.filter(theme__plan=plan).count(),
        "actions": Action.objects.filter(objective__theme__plan=plan).count(),
        "milestones": Milestone.objects.filter(action__objective__theme__plan=plan).count(),
        "tools": Tool.objects.filter(action__objective__theme__plan=plan).count(),
    }


@dataclass
class _Generator:
    plan: Plan
    target: Scale
    rng: random.Random

    def run(self) -> dict[str, int]:
        from socialplan.plan.models import Action, Objective

        before = plan_totals(plan=self.plan)
        themes = list(self.plan.themes.order_by("order"))
        if not themes:
            raise ValueError(f"The plan '{self.plan.slug}' has no themes to put generated objectives under.")
        self._add_objectives(themes, missing=self.target.objectives - before["objectives"])
        generated_objectives = list(
            Objective.objects.filter(theme__plan=self.plan, code__startswith=GENERATED_PREFIX)
            .select_related("theme")
            .order_by("pk")
        )
        new_actions = self._add_actions(generated_objectives, missing=self.target.actions - before["actions"])
        generated_actions = list(
            Action.objects.filter(objective__theme__plan=self.plan, code__startswith=GENERATED_PREFIX).order_by("pk")
        )
        self._add_milestones(generated_actions, missing=self.target.milestones - before["milestones"])
        self._add_tools(new_actions)
        after = plan_totals(plan=self.plan)
        return {level: after[level] - before[level] for level in after}

    def _add_objectives(self, themes: list[Theme], *, missing: int) -> None:
        from socialplan.plan.models import Objective

        if missing <= 0:
            return
        sequence = self._next_code_number(Objective.objects.filter(theme__plan=self.plan))
        next_order = _next_orders(Objective.objects.filter(theme__in=themes), parent="theme")
        rows = []
        for theme, count in zip(themes, _spread(self.rng, total=missing, slots=len(themes)), strict=True):
            topics = TOPICS.get(theme.code, GENERAL_TOPICS)
            for _ in range(count):
                verb, topic = self.rng.choice(OBJECTIVE_VERBS), self.rng.choice(topics)
                target = self.rng.choice(TARGETS)
                rows.append(
                    Objective(
                        theme=theme,
                        code=f"{GENERATED_PREFIX}{sequence:05d}",
                        order=next_order.setdefault(theme.pk, 1),
                        title_it=f"{verb[0]} {topic[0]}",
                        title_en=f"{verb[1]} {topic[1]}",
                        description_it=f"L'obiettivo riguarda {topic[0]} {target[0]}.",
                        description_en=f"The objective concerns {topic[1]} {target[1]}.",
                    )
                )
                next_order[theme.pk] += 1
                sequence += 1
        Objective.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def _add_actions(self, objectives: list[Objective], *, missing: int) -> list[Action]:
        from socialplan.plan.models import Action

        if missing <= 0:
            return []
        if not objectives:
            raise ValueError("No generated objectives to put generated actions under; raise the objectives total.")
        sequence = self._next_code_number(Action.objects.filter(objective__theme__plan=self.plan))
        next_order = _next_orders(Action.objects.filter(objective__in=objectives), parent="objective")
        window_start, window_end = self._window()
        rows = []
        for objective, count in zip(objectives, _spread(self.rng, total=missing, slots=len(objectives)), strict=True):
            topics = TOPICS.get(objective.theme.code, GENERAL_TOPICS)
            for _ in range(count):
                verb, topic, target = self.rng.choice(ACTION_VERBS), self.rng.choice(topics), self.rng.choice(TARGETS)
                partners, activity = self.rng.choice(PARTNERS), self.rng.choice(ACTIVITIES)
                start, end = self._action_dates(window_start, window_end)
                rows.append(
                    Action(
                        objective=objective,
                        code=f"{GENERATED_PREFIX}{sequence:05d}",
                        order=next_order.setdefault(objective.pk, 1),
                        title_it=f"{verb[0]} {topic[0]} {target[0]}",
                        title_en=f"{verb[1]} {topic[1]} {target[1]}",
                        description_it=f"L'azione coinvolge {partners[0]} e prevede {activity[0]} {target[0]}.",
                        description_en=f"The action involves {partners[1]} and provides {activity[1]} {target[1]}.",
                        status=self._status(start, end),
                        start_date=start,
                        end_date=end,
                        weight=self.rng.choice(WEIGHTS),
                        budget=Decimal(self.rng.randrange(50, 20_000) * 100) if self.rng.random() < 0.8 else None,
                    )
                )
                next_order[objective.pk] += 1
                sequence += 1
        return Action.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def _add_milestones(self, actions: list[Action], *, missing: int) -> None:
        from socialplan.plan.models import Milestone

        if missing <= 0:
            return
        if not actions:
            raise ValueError("No generated actions to put generated milestones under; raise the actions total.")
        next_order = _next_orders(Milestone.objects.filter(action__in=actions), parent="action")
        rows = []
        window_start, window_end = self._window()
        for action, count in zip(actions, _spread(self.rng, total=missing, slots=len(actions)), strict=True):
            # Generated actions always have dates; the window only covers an action edited since.
            start, end = action.start_date or window_start, action.end_date or window_end
            due_dates = sorted(start + timedelta(days=self.rng.randint(0, (end - start).days)) for _ in range(count))
            titles = self.rng.sample(MILESTONES, k=min(count, len(MILESTONES)))
            for index, due in enumerate(due_dates):
                title = titles[index % len(titles)]
                rows.append(
                    Milestone(
                        action=action,
                        order=next_order.setdefault(action.pk, 1),
                        title_it=title[0],
                        title_en=title[1],
                        due_date=due,
                        completed_on=self._completed_on(action.status, due),
                    )
                )
                next_order[action.pk] += 1
        Milestone.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def _add_tools(self, actions: Iterable[Action]) -> None:
        """About one tool per action: some have none, some two, as in real plans."""
        from socialplan.plan.models import Tool

        per_action = [0, 1, 1, 1, 2] if self.target.tools_per_action >= 1 else [0, 1]
        rows = []
        for action in actions:
            for order in range(1, self.rng.choice(per_action) + 1):
                kind = self.rng.choice(list(TOOLS))
                name, topic = self.rng.choice(TOOLS[kind]), self.rng.choice(GENERAL_TOPICS)
                rows.append(
                    Tool(
                        action=action,
                        code=f"{GENERATED_PREFIX}{order}",
                        order=order,
                        kind=kind,
                        title_it=f"{name[0]} per {topic[0]}",
                        title_en=f"{name[1]} for {topic[1]}",
                    )
                )
        Tool.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def _window(self) -> tuple[date, date]:
        return self.plan.period_start or DEFAULT_WINDOW[0], self.plan.period_end or DEFAULT_WINDOW[1]

    def _action_dates(self, window_start: date, window_end: date) -> tuple[date, date]:
        """Actions start on the first of a month and last from a quarter to three years."""
        months = (window_end.year - window_start.year) * 12 + window_end.month - window_start.month
        offset = self.rng.randrange(max(months - 3, 1))
        year, month = divmod(window_start.month - 1 + offset, 12)
        start = date(window_start.year + year, month + 1, 1)
        end = min(start + timedelta(days=30 * self.rng.randint(3, 36)), window_end)
        return start, end

    def _status(self, start: date, end: date) -> str:
        if self.rng.random() < 0.03:
            return "cancelled"
        if start > AS_OF:
            return "planned"
        weights = STATUS_WEIGHTS_ENDED if end < AS_OF else STATUS_WEIGHTS_RUNNING
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _completed_on(self, status: str, due: date) -> date | None:
        if due > AS_OF or status == "planned":
            return None
        done_share = {"done": 1.0, "in_progress": 0.85, "delayed": 0.4, "cancelled": 0.5}[status]
        if self.rng.random() >= done_share:
            return None
        return min(due + timedelta(days=self.rng.randint(-15, 30)), AS_OF)

    def _next_code_number(self, queryset: QuerySet[Any]) -> int:
        """Generated codes continue across runs, so a top-up never collides with earlier rows."""
        return queryset.filter(code__startswith=GENERATED_PREFIX).count() + 1


def ecosystem_totals(*, plan: Plan) -> dict[str, int]:
    """All organizations (generated, demo and real), and the partnerships and pledges on the plan's actions."""
    from socialplan.ecosystem.models import Organization, Partnership, Pledge, PledgeProgress

    return {
        "organizations": Organization.objects.count(),
        "partnerships": Partnership.objects.filter(action__objective__theme__plan=plan).count(),
        "pledges": Pledge.objects.filter(action__objective__theme__plan=plan).count(),
        "progress_reports": PledgeProgress.objects.filter(pledge__action__objective__theme__plan=plan).count(),
    }


def scale_codice_fiscale(serial: int) -> str:
    """The codice fiscale of generated organization number `serial`: valid, and outside the demo's range."""
    from socialplan.ecosystem.demo import invented_codice_fiscale

    if not 0 < serial <= MAX_ORGANIZATIONS:
        raise ValueError(f"Generated organizations are numbered 1 to {MAX_ORGANIZATIONS}, not {serial}.")
    return invented_codice_fiscale(progressive=FIRST_PROGRESSIVE + serial)


class _Members(Sequence["Member"]):
    """(primary key, legal form) of many organizations in two flat arrays: 400,000 cost 3.6 MB, not 60."""

    def __init__(self, forms: list[str]) -> None:
        self.forms = forms
        self.number_of = {form: number for number, form in enumerate(forms)}
        self.pks = array("q")
        self.form_numbers = array("B")

    def append(self, pk: int, form: str) -> None:
        self.pks.append(pk)
        self.form_numbers.append(self.number_of[form])

    def __len__(self) -> int:
        return len(self.pks)

    @overload
    def __getitem__(self, index: int) -> Member: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Member]: ...
    def __getitem__(self, index: int | slice) -> Member | Sequence[Member]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        return self.pks[index], self.forms[self.form_numbers[index]]


@dataclass
class _EcosystemGenerator:
    plan: Plan
    target: Scale
    territory_code: str
    rng: random.Random
    notes: list[str] = field(default_factory=list)

    def run(self) -> dict[str, int]:
        before = ecosystem_totals(plan=self.plan)
        missing = self.target.organizations - before["organizations"]
        if missing > 0:
            self._add_organizations(missing=missing)
        if self.target.organizations and not self.notes:
            self._add_partnerships(self._generated_members())
            self._add_pledges(missing=self.target.pledges - before["pledges"])
        after = ecosystem_totals(plan=self.plan)
        return {level: after[level] - before[level] for level in after}

    def _add_organizations(self, *, missing: int) -> None:
        from socialplan.ecosystem.demo import ALL_CPV_CODES, OrganizationInventor, places_of, write_organizations
        from socialplan.ecosystem.models import CpvCode, Organization

        places = places_of(territory_code=self.territory_code)
        if not places:
            self.notes.append(
                f"No organizations generated: no comuni of territory '{self.territory_code}' to seat them in; "
                f"load them with `manage.py load_territory {self.territory_code}`."
            )
            return
        inventor = OrganizationInventor(
            places=places,
            cpv_available=CpvCode.objects.filter(code__in=ALL_CPV_CODES).values_list("code", flat=True),
            seed=ORGANIZATION_SEED,
            source=SCALE_SOURCE,
        )
        first = Organization.objects.filter(source=SCALE_SOURCE).count() + 1
        invented = (
            inventor.invent(serial=serial, codice_fiscale=scale_codice_fiscale(serial))
            for serial in range(first, first + missing)
        )
        write_organizations(invented, batch_size=ORGANIZATION_BATCH)

    def _generated_members(self) -> tuple[_Members, _Members]:
        """Generated organizations that may lead an action, and the others, in the order they were created."""
        from socialplan.ecosystem.demo import LEAD_FORMS, PROFILES
        from socialplan.ecosystem.models import Organization

        leads, others = _Members(list(PROFILES)), _Members(list(PROFILES))
        rows = Organization.objects.filter(source=SCALE_SOURCE).order_by("pk").values_list("pk", "legal_form")
        for pk, form in rows.iterator(chunk_size=ORGANIZATION_BATCH):
            (leads if form in LEAD_FORMS else others).append(pk, form)
        return leads, others

    def _add_partnerships(self, members: tuple[_Members, _Members]) -> None:
        """A lead and 2-4 partners on each generated action that has none, chosen by the action's code."""
        from socialplan.ecosystem.demo import SINCE, choose_partners
        from socialplan.ecosystem.models import Partnership
        from socialplan.plan.models import Action

        leads, others = members
        if not leads or len(others) < 4:
            self.notes.append("No partnerships generated: too few generated organizations to choose from.")
            return
        actions = (
            Action.objects.filter(objective__theme__plan=self.plan, code__startswith=GENERATED_PREFIX)
            .filter(partnerships__isnull=True)
            .select_related("objective")
            .order_by("pk")
        )
        rows: list[Partnership] = []
        for action in actions:
            rng = random.Random(f"socialplan-bench-partnerships:{action.objective.code}:{action.code}")
            rows.extend(
                Partnership(action=action, organization_id=organization_id, role=role, since=SINCE)
                for (organization_id, _form), role in choose_partners(rng, leads=leads, others=others)
            )
        Partnership.objects.bulk_create(rows, batch_size=ORGANIZATION_BATCH)

    def _add_pledges(self, *, missing: int) -> None:
        """Pledges from partners of generated actions that have not pledged there yet, up to the scale's total."""
        from socialplan.ecosystem.demo import invent_pledge
        from socialplan.ecosystem.models import Partnership, Pledge, PledgeProgress
        from socialplan.plan.models import Action

        if missing <= 0:
            return
        generated = Action.objects.filter(objective__theme__plan=self.plan, code__startswith=GENERATED_PREFIX)
        pledged = set(Pledge.objects.filter(action__in=generated).values_list("action_id", "organization_id"))
        candidates = [
            (action_id, (organization_id, form))
            for action_id, organization_id, form in Partnership.objects.filter(action__in=generated)
            .order_by("pk")
            .values_list("action_id", "organization_id", "organization__legal_form")
            if (action_id, organization_id) not in pledged
        ]
        chosen = sorted(self.rng.sample(range(len(candidates)), k=min(missing, len(candidates))))
        if len(chosen) < missing:
            self.notes.append(f"{missing - len(chosen)} pledges short: every partner of a generated action pledged.")
        actions = generated.only("pk", "title", "title_it").in_bulk([candidates[index][0] for index in chosen])
        pledges, progress = [], []
        for index in chosen:
            action_id, member = candidates[index]
            pledge, reports = invent_pledge(self.rng, action=actions[action_id], member=member)
            pledges.append(pledge)
            progress.extend(reports)
        Pledge.objects.bulk_create(pledges, batch_size=ORGANIZATION_BATCH)
        PledgeProgress.objects.bulk_create(progress, batch_size=ORGANIZATION_BATCH)


def _spread(rng: random.Random, *, total: int, slots: int) -> list[int]:
    """Split `total` over `slots` unevenly, as real plans are, with at least one each when there are enough."""
    counts = [1 if total >= slots else 0] * slots
    for _ in range(total - sum(counts)):
        counts[rng.randrange(slots)] += 1
    return counts


def _next_orders(queryset: QuerySet[Any], *, parent: str) -> dict[int, int]:
    """The next free `order` under each parent, so generated rows follow the existing ones."""
    rows = queryset.values(parent).annotate(last=Max("order"))
    return {row[parent]: (row["last"] or 0) + 1 for row in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fill the Turin plan up to the totals of a scale.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="metro")
    parser.add_argument("--plan", default="torino", help="slug of the plan to fill (default: torino)")
    parser.add_argument("--territory", default="TO", help="territory whose comuni seat the organizations (TO)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django
    from django.db import DatabaseError

    django.setup()
    try:
        result = generate(scale=args.scale, plan_slug=args.plan, territory_code=args.territory)
    except (LookupError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except DatabaseError as error:
        print(f"error: {error} (is the database migrated? `manage.py migrate`)", file=sys.stderr)
        return 2
    added = ", ".join(f"{count} {level}" for level, count in result.created.items())
    totals = ", ".join(f"{count} {level}" for level, count in result.totals.items())
    print(f"Scale '{result.scale}' on plan '{result.plan}': added {added}; the plan now has {totals}.")
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
