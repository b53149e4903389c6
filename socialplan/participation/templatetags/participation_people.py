"""Template helpers for the report link and the follow button shown with every contribution."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from socialplan.participation import notifications
from socialplan.participation.links import url_with_ids

register = template.Library()


@register.simple_tag
def id_url(name: str, *ids: int) -> str:
    """`{% url %}` for URLs whose arguments are ids, at a fraction of its cost (see `links`)."""
    return url_with_ids(name, *ids)


@register.simple_tag
def report_link(obj: models.Model) -> SafeString:
    """The link to report a contribution to the moderators (one under each comment: a tag, not an include)."""
    if not obj.pk:
        return SafeString("")
    return format_html(
        '<a class="participation-report-link small" href="{}" rel="nofollow">{}'
        '<span class="visually-hidden"> {}</span></a>',
        url_with_ids("participation:report", ContentType.objects.get_for_model(type(obj)).pk, obj.pk),
        pgettext("abuse report", "Report"),
        _("this contribution to the moderators"),
    )


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


@register.simple_tag(takes_context=True)
def follow_button(context: template.Context, obj: models.Model | None = None, element_key: str = "") -> SafeString:
    """The follow (or unfollow) form of `obj` for a signed-in reader, a sign-in link for a visitor, nothing for what
    cannot be followed.

    Written here rather than in a template: a consultation page shows one under each of its comments, and an
    include per comment would be a good part of the page's rendering time.
    """
    state = follow_state(context, obj, element_key)
    if not state["followable"]:
        return SafeString("")
    request: HttpRequest | None = context.get("request")
    if request is None or not request.user.is_authenticated:
        next_path = request.get_full_path() if request is not None else ""
        return format_html(
            '<a class="small" href="{}?{}">{}</a>',
            reverse("account_login"),
            urlencode({"next": next_path}),
            _("Sign in to follow"),
        )
    action, label = ("unfollow", _("Unfollow")) if state["following"] else ("follow", _("Follow"))
    return format_html(
        '<form method="post" action="{}" class="d-inline participation-follow">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="content_type" value="{}"><input type="hidden" name="object_id" value="{}">'
        '<input type="hidden" name="element_key" value="{}"><input type="hidden" name="next" value="{}">'
        '<input type="hidden" name="action" value="{}">'
        '<button type="submit" class="btn btn-outline-primary btn-xs">{}</button></form>',
        url_with_ids("participation:follow"),
        context.get("csrf_token", ""),
        state["content_type"],
        state["object_id"],
        state["element_key"],
        state["next"],
        action,
        label,
    )
