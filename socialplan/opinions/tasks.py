"""Background task of the opinion groups (django-tasks): recompute a conversation's groups after votes."""

from typing import Any

from django_tasks import task

from . import groups


@task()
def compute_conversation_groups(conversation_id: int) -> dict[str, Any]:
    return groups.recompute(conversation_id)
