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

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


_KINDS: dict[str, ContributionKind] = {}


def register(kind: ContributionKind) -> None:
    _KINDS[kind.model.lower()] = kind


def kinds() -> Iterator[ContributionKind]:
    yield from _KINDS.values()


def kind_of(model: type[models.Model] | models.Model) -> ContributionKind | None:
    return _KINDS.get(model._meta.label_lower)
