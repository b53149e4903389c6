"""Writes to the plan: loading a plan's content from the repository, reporting on actions, publishing versions.

`load_plan_content` is idempotent on natural keys (plan slug, then each
element's `code` under its parent). It never overwrites silently: where the
database differs from the content file (an editor changed something), it
reports each difference and leaves the database as it is, unless the caller
asks to overwrite.

Other apps load their own content of the same name (e.g. monitoring's
indicator set) by listening to `plan_content_loaded`, with `ContentLoader`,
in the same transaction and into the same report: the plan app knows
nothing about them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from socialplan.accounts.models import User
from socialplan.core.cache import bump_content_version

from . import selectors, versions
from .models import (
    Action,
    ChangelogEntry,
    ChangelogSource,
    ContextReference,
    ElementKind,
    Milestone,
    Objective,
    Plan,
    PlanVersion,
    ProcessPhase,
    Promoter,
    Theme,
    Tool,
    VisionPillar,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LOAD_REASON = "Loaded from the plan content file"


class UnknownPlanContent(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"Unknown plan '{name}'. Known plans: {', '.join(known) or 'none'}.")


@dataclass(frozen=True)
class Difference:
    element: str
    field: str
    in_database: Any
    in_content: Any

    def __str__(self) -> str:
        return (
            f"{self.element}: {self.field} is {self.in_database!r} in the database, "
            f"{self.in_content!r} in the content file"
        )


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


def available_plan_contents() -> list[str]:
    return sorted(path.stem for path in CONTENT_DIR.glob("*.yaml"))


def read_plan_content(name: str) -> dict[str, Any]:
    known = available_plan_contents()
    if name not in known:
        raise UnknownPlanContent(name, known)
    with (CONTENT_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        content: dict[str, Any] = yaml.safe_load(handle)
    return content


# Sent by load_plan once a named plan content is loaded, inside its transaction,
# with `plan`, `name`, `overwrite` and `report` (the LoadReport to add to).
# A receiver that raises rolls the whole load back.
plan_content_loaded = Signal()


@transaction.atomic
def load_plan(*, name: str, overwrite: bool = False) -> LoadReport:
    """Load the named content file (e.g. 'torino') into the database, then what other apps keep under that name.

    A plan loaded for the first time gets its version 1, so that the public
    history of the plan starts with what the content file says.
    """
    content = read_plan_content(name)
    report = load_plan_content(content=content, overwrite=overwrite)
    plan = Plan.objects.get(slug=content["plan"]["slug"])
    if publish_first_version(plan=plan) is None:
        report.unchanged += 1
    else:
        report.created.append(f"{PlanVersion._meta.verbose_name} 1")
    plan_content_loaded.send(sender=Plan, plan=plan, name=name, overwrite=overwrite, report=report)
    return report


@transaction.atomic
def load_plan_content(*, content: dict[str, Any], overwrite: bool = False) -> LoadReport:
    loader = ContentLoader(report=LoadReport(), overwrite=overwrite)
    plan_data = dict(content["plan"])
    plan = loader.upsert(Plan, lookup={"slug": plan_data.pop("slug")}, values=plan_data)
    for order, item in enumerate(content.get("promoters", []), start=1):
        loader.upsert_child(Promoter, parent={"plan": plan}, item=item, order=order)
    for order, item in enumerate(content.get("pillars", []), start=1):
        loader.upsert_child(VisionPillar, parent={"plan": plan}, item=item, order=order)
    for order, item in enumerate(content.get("phases", []), start=1):
        loader.upsert_child(ProcessPhase, parent={"plan": plan}, item=item, order=order)
    for item in content.get("references", []):
        loader.upsert_child(ContextReference, parent={"plan": plan}, item=item, order=None)
    for theme_order, theme_item in enumerate(content.get("themes", []), start=1):
        theme_values = {k: v for k, v in theme_item.items() if k != "objectives"}
        theme = loader.upsert_child(Theme, parent={"plan": plan}, item=theme_values, order=theme_order)
        for objective_order, objective_item in enumerate(theme_item.get("objectives", []), start=1):
            objective_values = {k: v for k, v in objective_item.items() if k != "actions"}
            objective = loader.upsert_child(
                Objective, parent={"theme": theme}, item=objective_values, order=objective_order
            )
            for action_order, action_item in enumerate(objective_item.get("actions", []), start=1):
                action_values = {k: v for k, v in action_item.items() if k not in ("tools", "milestones")}
                action = loader.upsert_child(
                    Action, parent={"objective": objective}, item=action_values, order=action_order
                )
                for tool_order, tool_item in enumerate(action_item.get("tools", []), start=1):
                    loader.upsert_child(Tool, parent={"action": action}, item=tool_item, order=tool_order)
                for milestone_order, milestone_item in enumerate(action_item.get("milestones", []), start=1):
                    milestone_values = {k: v for k, v in milestone_item.items() if k != "title_it"}
                    loader.upsert(
                        Milestone,
                        lookup={"action": action, "title_it": milestone_item["title_it"]},
                        values={**milestone_values, "order": milestone_order},
                    )
    return loader.report


@dataclass
class ContentLoader:
    """Upserts rows by natural key into a LoadReport: creates what is missing, reports or overwrites differences."""

    report: LoadReport
    overwrite: bool
    reason: str = LOAD_REASON

    def upsert_child(
        self, model: type[models.Model], *, parent: dict[str, Any], item: dict[str, Any], order: int | None
    ) -> Any:
        values = {k: v for k, v in item.items() if k != "code"}
        if order is not None:
            values["order"] = order
        return self.upsert(model, lookup={**parent, "code": item["code"]}, values=values)

    def upsert(self, model: type[models.Model], *, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        label = f"{model._meta.verbose_name} {_natural_key(lookup)}"
        instance = model._default_manager.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            _save(instance, reason=self.reason)
            self.report.created.append(label)
            return instance
        differences = [
            Difference(label, name, getattr(instance, name), _as_field_value(model, name, value))
            for name, value in values.items()
            if getattr(instance, name) != _as_field_value(model, name, value)
        ]
        if not differences:
            self.report.unchanged += 1
            return instance
        if self.overwrite:
            for difference in differences:
                setattr(instance, difference.field, difference.in_content)
            _save(instance, reason=self.reason)
            self.report.updated.append(label)
        else:
            self.report.differences.extend(differences)
        return instance


def _natural_key(lookup: dict[str, Any]) -> str:
    return "/".join(str(getattr(v, "code", None) or getattr(v, "slug", None) or v) for v in lookup.values())


def _as_field_value(model: type[models.Model], name: str, value: Any) -> Any:
    """Normalise a YAML value to what the model field holds, so that comparisons are exact."""
    model_field = model._meta.get_field(name)
    if value is None:
        return None if model_field.null else ""
    if isinstance(model_field, models.DecimalField):
        return Decimal(str(value))
    if isinstance(model_field, models.DateField) and not isinstance(value, date):
        return date.fromisoformat(str(value))
    if isinstance(value, str):
        return value.strip()
    return value


def _save(instance: models.Model, *, reason: str) -> None:
    """Validate like a form would, then save with a history reason."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(f"{instance._meta.verbose_name} '{instance}': {error.message_dict}") from error
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


# The fields the plan office and theme coordinators report on as an action
# goes ahead; the action's content (title, description, objective) changes
# through the back office, where the whole text is reviewed.
REPORTING_FIELDS = frozenset({"status", "start_date", "end_date", "weight"})


@transaction.atomic
def update_action(*, action: Action, user: AbstractBaseUser, **changes: Any) -> Action:
    """Apply a reporting update to an action on behalf of `user` and return the saved action.

    The row is re-read under a lock so that two reports arriving together
    are validated against each other's dates rather than a stale copy; only
    the fields that really change are written, and the history record names
    the user and those fields. Raises ValidationError (nothing saved) for a
    field outside REPORTING_FIELDS or a value the model rejects.
    """
    unknown = sorted(set(changes) - REPORTING_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed by a reporting update." for name in unknown})
    locked = Action.objects.select_for_update().get(pk=action.pk)
    changed = sorted(name for name, value in changes.items() if getattr(locked, name) != value)
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean()
    locked._history_user = user  # type: ignore[attr-defined]
    locked._change_reason = f"Reporting update: {', '.join(changed)}"  # type: ignore[attr-defined]
    locked.save(update_fields=changed)
    return locked


# Publishing versions. A version freezes the plan's content as a snapshot
# (versions.py); each difference from the previous version becomes a
# changelog entry, where the plan office says why it made the change and
# which contributions led to it (docs/decisions/0012-plan-versions.md).

PUBLISH_REASON = "Version published"


class NothingToPublish(ValidationError):
    pass


class PlanChangedSincePreview(ValidationError):
    pass


@dataclass(frozen=True)
class ChangeReason:
    """Why a change was made, in Italian and English (English may follow later, from the back office)."""

    it: str = ""
    en: str = ""


@dataclass(frozen=True)
class PendingChanges:
    """What publishing now would record: the latest version, the plan's snapshot and the differences."""

    previous: PlanVersion | None
    snapshot: versions.Snapshot
    changes: list[versions.ElementChange]

    @property
    def number(self) -> int:
        return self.previous.number + 1 if self.previous else 1

    @property
    def digest(self) -> str:
        return versions.digest(self.snapshot)


def pending_changes(*, plan: Plan) -> PendingChanges:
    snapshot = versions.build_snapshot(plan=plan, themes=selectors.themes_for_snapshot(plan=plan))
    previous = selectors.latest_version(plan=plan)
    changes = versions.diff(previous.snapshot, snapshot) if previous else []
    return PendingChanges(previous=previous, snapshot=snapshot, changes=changes)


@transaction.atomic
def publish_version(
    *,
    plan: Plan,
    user: User | None,
    summary_it: str,
    summary_en: str = "",
    reasons: Mapping[str, ChangeReason] | None = None,
    expected_digest: str | None = None,
    published_at: datetime | None = None,
) -> PlanVersion:
    """Publish the plan as it is now as its next version, with one changelog entry per difference.

    `reasons` are keyed by ElementChange.identifier; a change without one gets
    an empty reason for the plan office to write later. `expected_digest`, the
    digest of the differences the office reviewed, makes the publication fail
    (PlanChangedSincePreview) if the plan changed in the meantime. Version 1
    has no changelog: everything in it is new. Raises NothingToPublish when
    nothing changed since the latest version.
    """
    if not summary_it.strip():
        raise ValidationError({"summary_it": _("Write a summary of the version.")})
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one publication at a time per plan
    pending = pending_changes(plan=plan)
    if expected_digest is not None and expected_digest != pending.digest:
        raise PlanChangedSincePreview(_("The plan changed after you reviewed its differences: review them again."))
    if pending.previous is not None and not pending.changes:
        raise NothingToPublish(_("Nothing changed since version %(number)s.") % {"number": pending.previous.number})
    version = PlanVersion(
        plan=plan,
        number=pending.number,
        published_at=published_at or timezone.now(),
        published_by=user,
        summary_it=summary_it.strip(),
        summary_en=summary_en.strip(),
        snapshot=pending.snapshot,
    )
    version._history_user = user  # type: ignore[attr-defined]
    version._change_reason = PUBLISH_REASON  # type: ignore[attr-defined]
    version.save()
    old = pending.previous.snapshot if pending.previous else versions.empty_snapshot(plan.slug)
    entries = _changelog(version, pending.changes, old=old, new=pending.snapshot, reasons=reasons or {})
    bulk_create_with_history(entries, ChangelogEntry, default_user=user, default_change_reason=PUBLISH_REASON)
    bump_content_version()  # a bulk write sends no signal: the cached version pages must go (0006)
    return version


def _changelog(
    version: PlanVersion,
    changes: list[versions.ElementChange],
    *,
    old: versions.Snapshot,
    new: versions.Snapshot,
    reasons: Mapping[str, ChangeReason],
) -> list[ChangelogEntry]:
    themes = versions.elements_by_identity(old) | versions.elements_by_identity(new)
    entries = []
    for position, change in enumerate(changes):
        theme_key = versions.theme_key_of(change.element)
        theme = themes.get((ElementKind.THEME, theme_key)) if theme_key else None
        reason = reasons.get(change.identifier, ChangeReason())
        entries.append(
            ChangelogEntry(
                version=version,
                position=position,
                element_kind=change.kind,
                element_key=change.key,
                previous_key=change.previous_key,
                title_it=versions.title_of(change.element, "it")[:500],
                title_en=versions.title_of(change.element, "en")[:500],
                theme_title_it=versions.title_of(theme, "it")[:255] if theme else "",
                theme_title_en=versions.title_of(theme, "en")[:255] if theme else "",
                change=change.change,
                changed_fields=[field_change.field for field_change in change.fields],
                reason_it=reason.it.strip(),
                reason_en=reason.en.strip(),
            )
        )
    return entries


FIRST_VERSION_REASON = "First version, published when the plan was loaded"


def publish_first_version(*, plan: Plan) -> PlanVersion | None:
    """Publish version 1 of a plan that has none yet (loading a plan does); None when it has versions.

    It is dated with the plan's approval date when the plan states one, else now.
    """
    if PlanVersion.objects.filter(plan=plan).exists():
        return None
    published_at = None
    if plan.approved_on:
        published_at = datetime.combine(plan.approved_on, time(12), tzinfo=timezone.get_current_timezone())
    with translation.override("it"):
        summary_it = str(_("First version of the plan"))
    with translation.override("en"):
        summary_en = str(_("First version of the plan"))
    return publish_version(
        plan=plan, user=None, summary_it=summary_it, summary_en=summary_en, published_at=published_at
    )


def add_changelog_source(
    *, entry: ChangelogEntry, contribution: models.Model | None = None, label: str = "", url: str = ""
) -> ChangelogSource:
    """Link a change to a contribution that motivated it: a row on the platform, or one named by label and URL."""
    source = ChangelogSource(entry=entry, label=label.strip(), url=url.strip())
    if contribution is not None:
        source.contribution = contribution
    source.full_clean(exclude=["entry"])
    source.save()
    return source
