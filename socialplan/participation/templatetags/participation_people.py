"""Template helpers for the report link and the follow button shown with every contribution."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from socialplan.participation import notifications

register = template.Library()


@register.simple_tag
def content_type_id(obj: models.Model) -> int:
    return ContentType.objects.get_for_model(type(obj)).pk


@register.simple_tag(takes_context=True)
def follow_state(context: template.Context, obj: models.Model | None = None, element_key: str = "") -> dict[str, Any]:
    """What the follow button needs: the target's reference and whether the current user follows it.

    `obj` is a process, a contribution or a plan theme/objective/action; `element_key` a plan element's key.

    The user's follows are read once per request, whatever the number of buttons on the page.
    """
    request: HttpRequest | None = context.get("request")
    try:
        target = notifications.target_ref(obj, element_key=element_key)
    except notifications.NotFollowable:
        return {"followable": False}
    following = False
    if request is not None and request.user.is_authenticated:
        following = target in notifications.followed_refs(request)
    return {
        "content_type": target.content_type_id or "",
        "object_id": target.object_id or "",
        "element_key": target.element_key,
        "following": following,
        "followable": True,
        "next": request.get_full_path() if request is not None else "",
    }
