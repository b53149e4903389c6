"""Publishing versions: numbering, immutability, the changelog and its reasons, who may publish, version 1 on load."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from socialplan.ecosystem.models import Organization
from socialplan.plan import services
from socialplan.plan.models import (
    Action,
    ChangelogEntry,
    ChangelogSource,
    ImmutableVersion,
    Objective,
    Plan,
    PlanVersion,
    Theme,
)
from socialplan.plan.services import ChangeReason, NothingToPublish, PlanChangedSincePreview, publish_version

SP_S1 = "social-procurement/sp-o1/sp-s1"
NEW_ACTION = "social-procurement/sp-o1/sp-s9"


@pytest.fixture
def version_1(torino: Plan, roles) -> PlanVersion:
    return publish_version(plan=torino, user=roles.editor, summary_it="Prima versione", summary_en="First version")


def change_the_plan() -> None:
    """The two changes of the examples: a retitled action and a new one."""
    action = Action.objects.get(code="sp-s1")
    action.title_it = "Promuovere gli appalti pubblici sociali"
    action.save()
    Action.objects.create(objective=Objective.objects.get(code="sp-o1"), code="sp-s9", order=9, title_it="Nuova azione")


def test_version_1_freezes_the_plan_and_has_no_changelog(version_1, roles):
    assert version_1.number == 1 and version_1.published_by == roles.editor
    assert version_1.summary_it == "Prima versione" and version_1.summary_en == "First version"
    keys = {element["key"] for element in version_1.snapshot["elements"]}
    assert SP_S1 in keys and "social-procurement" in keys
    assert not version_1.changelog.exists()


def test_version_2_records_each_difference_with_its_reason(torino, version_1, roles):
    change_the_plan()

    version = publish_version(
        plan=torino,
        user=roles.admin,
        summary_it="Seconda versione",
        reasons={f"action:{SP_S1}": ChangeReason(it="Richiesto dal tavolo", en="Asked by the table")},
    )

    assert version.number == 2
    entries = list(version.changelog.order_by("position"))
    assert [(e.change, e.element_kind, e.element_key) for e in entries] == [
        ("changed", "action", SP_S1),
        ("added", "action", NEW_ACTION),
    ]
    changed, added = entries
    assert changed.changed_fields == ["title_it"] and changed.title_it == "Promuovere gli appalti pubblici sociali"
    assert changed.reason_it == "Richiesto dal tavolo" and changed.reason_en == "Asked by the table"
    assert changed.theme_title_it == "Social procurement"
    assert added.title_it == "Nuova azione" and added.reason_it == ""
    assert changed.history.get().history_user == roles.admin


def test_numbers_increase_per_plan_and_nothing_unchanged_is_published(torino, version_1, roles):
    with pytest.raises(NothingToPublish):
        publish_version(plan=torino, user=roles.editor, summary_it="Uguale")
    change_the_plan()
    assert publish_version(plan=torino, user=roles.editor, summary_it="Due").number == 2
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanVersion.objects.create(plan=torino, number=2, published_at=timezone.now(), summary="x", snapshot={})


def test_a_summary_is_required(torino, roles):
    with pytest.raises(ValidationError):
        publish_version(plan=torino, user=roles.editor, summary_it="  ")
    assert not PlanVersion.objects.exists()


def test_a_published_version_cannot_be_rewritten(version_1):
    version = PlanVersion.objects.get(pk=version_1.pk)
    version.snapshot = {"elements": []}
    with pytest.raises(ImmutableVersion):
        version.save()
    version = PlanVersion.objects.get(pk=version_1.pk)
    version.number = 7
    with pytest.raises(ImmutableVersion):
        version.save()
    assert PlanVersion.objects.get(pk=version_1.pk).snapshot == version_1.snapshot


def test_publishing_refuses_differences_that_were_not_reviewed(torino, version_1, roles):
    reviewed = services.pending_changes(plan=torino)
    change_the_plan()
    with pytest.raises(PlanChangedSincePreview):
        publish_version(plan=torino, user=roles.editor, summary_it="Due", expected_digest=reviewed.digest)
    assert PlanVersion.objects.count() == 1


def test_a_change_links_to_contributions_on_and_off_the_platform(torino, version_1, roles):
    change_the_plan()
    entry = publish_version(plan=torino, user=roles.editor, summary_it="Due").changelog.first()
    organization = Organization.objects.get()

    on_platform = services.add_changelog_source(entry=entry, contribution=organization)
    interview = services.add_changelog_source(
        entry=entry, label="Intervista alle cooperative, 12/11/2024", url="https://example.org/intervista"
    )

    assert on_platform.contribution == organization and str(on_platform) == str(organization)
    assert interview.link == "https://example.org/intervista"
    assert list(entry.sources.all()) == [on_platform, interview]
    with pytest.raises(ValidationError):
        services.add_changelog_source(entry=entry)
    organization.delete()
    on_platform.refresh_from_db()
    with translation.override("en"):
        assert str(on_platform) == "A contribution no longer on the platform"
    with transaction.atomic(), pytest.raises(IntegrityError):
        ChangelogSource.objects.create(entry=entry, label="")


def test_every_change_to_a_changelog_entry_is_in_its_history(torino, version_1, roles):
    change_the_plan()
    entry = publish_version(plan=torino, user=roles.editor, summary_it="Due").changelog.first()
    entry.reason_it = "Motivo scritto dopo"
    entry._history_user = roles.admin
    entry.save()
    assert [record.history_user for record in entry.history.order_by("history_date")] == [roles.editor, roles.admin]


# Who may publish and explain the changes.

PERMISSIONS = ["plan.publish_version", "plan.change_changelogentry", "plan.add_changelogsource"]


@pytest.mark.parametrize("role", ["admin", "editor", "coordinator", "member", "participant", "anonymous"])
def test_only_the_plan_office_publishes_and_explains_changes(roles, role):
    user = getattr(roles, role) or AnonymousUser()
    allowed = role in ("admin", "editor")
    assert [user.has_perm(permission) for permission in PERMISSIONS] == [allowed] * len(PERMISSIONS)
    if role != "admin":  # a superuser holds every permission: the back office itself refuses these (admin tests)
        assert not user.has_perm("plan.change_planversion") and not user.has_perm("plan.delete_planversion")
        assert not user.has_perm("plan.add_changelogentry") and not user.has_perm("plan.delete_changelogentry")


# Loading a plan publishes its first version.


def test_loading_the_turin_plan_publishes_version_1_once(db):
    first = services.load_plan(name="torino")
    plan = Plan.objects.get(slug="torino")
    (version,) = PlanVersion.objects.filter(plan=plan)
    assert version.number == 1 and f"{PlanVersion._meta.verbose_name} 1" in first.created
    assert (version.summary_it, version.summary_en) == ("Prima versione del piano", "First version of the plan")
    assert version.published_by is None
    assert {element["key"] for element in version.snapshot["elements"]} >= {SP_S1, "governance"}

    second = services.load_plan(name="torino")
    assert PlanVersion.objects.count() == 1 and not second.created


def test_the_first_version_is_dated_with_the_plan_approval_when_there_is_one(torino):
    torino.approved_on = date(2025, 4, 15)
    torino.save()
    version = services.publish_first_version(plan=torino)
    assert version is not None and timezone.localtime(version.published_at).date() == date(2025, 4, 15)
    assert services.publish_first_version(plan=torino) is None


def test_a_theme_removed_after_a_version_is_in_the_next_changelog(torino, version_1, roles):
    Theme.objects.get(code="communication").delete()
    version = publish_version(plan=torino, user=roles.editor, summary_it="Senza comunicazione")
    (entry,) = version.changelog.all()
    assert (entry.change, entry.element_kind, entry.title_it) == (
        ChangelogEntry.Change.REMOVED,
        "theme",
        "Comunicazione",
    )
