"""The kinds of contribution, registered by the apps that define them.

Everything that treats contributions alike reads this registry: the
moderation queue, the link from a contribution to the plan change it led to,
a participant's data export and account deletion, the consultation report.
Each app registers its kinds in its `AppConfig.ready()`:

    register(ContributionKind(model="consultations.Comment", ...))
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class ContributionKind:
    model: str  # "app_label.ModelName"; the model inherits participation.models.Contribution
    label: str | Promise  # singular, e.g. _("comment")
    label_plural: str | Promise
    process_lookup: str  # ORM path from the model to its Process, e.g. "consultation__process"
    text_field: str  # the field that holds what the participant wrote
    # Another field that points at a user, for kinds whose writer is not `author` (e.g. a vote's participant).
    person_field: str = "author"
    # Which rows the public may read, beyond not being hidden (an interview's summary only when
    # made public, a meeting's minutes only once published); None: all of them.
    public: Q | None = None
    # Whether rows carry plan element keys worth searching (a vote never does).
    taggable: bool = True
    # Whether a participant wrote it (counted among the participants of a process), or the office.
    by_participants: bool = True

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def visible(self) -> QuerySet[models.Model]:
        """The rows anyone may read: not hidden by the moderators, and public for this kind."""
        rows = self.model_class._default_manager.filter(hidden_at__isnull=True)
        return rows.filter(self.public) if self.public is not None else rows


_KINDS: dict[str, ContributionKind] = {}


def register(kind: ContributionKind) -> None:
    _KINDS[kind.model.lower()] = kind


def kinds() -> Iterator[ContributionKind]:
    yield from _KINDS.values()


def kind_of(model: type[models.Model] | models.Model) -> ContributionKind | None:
    return _KINDS.get(model._meta.label_lower)
