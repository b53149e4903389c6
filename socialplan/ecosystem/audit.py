"""Who and why in the history (django-simple-history) of the ecosystem's writes."""

from typing import Any

from django.db import models


def attribute(instance: models.Model, *, user: Any, reason: str) -> None:
    """Name `user` and `reason` in the history record that the next save or delete of `instance` writes."""
    instance._history_user = user  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
