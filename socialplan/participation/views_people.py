"""Pages about people: reporting and moderating contributions, following, the personal area, the privacy notice."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import moderation, notifications, personal_data
from .forms import DeleteAccountForm, HideForm, ProfileForm, ReportForm
from .models import ParticipantProfile
from .ratelimit import RateLimited, check


def _safe_next(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return fallback


def _contribution(content_type_id: int, object_id: int) -> tuple[Any, Any]:
    try:
        return moderation.resolve(content_type_id, object_id)
    except moderation.NotAContribution as error:
        raise Http404 from error


def _back_to(kind: Any, obj: Any) -> str:
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    process = moderation.process_of(kind, obj)
    return process.get_absolute_url() if process is not None else "/"


@login_required
def report(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    kind, obj = _contribution(content_type_id, object_id)
    back = _safe_next(request, _back_to(kind, obj))
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            check(request, "report")
            moderation.report(
                reporter=request.user,
                target=obj,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except moderation.AlreadyReported:
            messages.info(request, _("You have already reported this contribution: the moderators will look at it."))
            return redirect(back)
        else:
            messages.success(request, _("Thank you: the moderators will look at your report."))
            return redirect(back)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "kind": kind, "object": obj, "back": back, "hidden": obj.hidden_at is not None}
    context["text"] = moderation.text_of(kind, obj)
    return render(request, "participation/report_contribution.html", context, status=status)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    try:
        content_type_id = int(request.POST["content_type"]) if request.POST.get("content_type") else None
        object_id = int(request.POST["object_id"]) if request.POST.get("object_id") else None
        ref = notifications.resolve_ref(
            content_type_id=content_type_id, object_id=object_id, element_key=request.POST.get("element_key", "")
        )
    except (ValueError, notifications.NotFollowable) as error:
        raise Http404 from error
    if request.POST.get("action") == "unfollow":
        notifications.unfollow(request.user, ref)
        messages.success(request, _("You no longer follow it."))
    else:
        notifications.follow(request.user, ref)
        messages.success(request, _("You follow it: we will tell you what happens, as often as your profile says."))
    return redirect(_safe_next(request, "/"))


def _queue_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "items": moderation.queue(request.user),
        "hidden_items": moderation.hidden(request.user),
        "hide_form": HideForm(),
        **extra,
    }


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not moderation.may_use_queue(request.user):
        raise PermissionDenied
    return render(request, "participation/moderation_queue.html", _queue_context(request))


@login_required
@require_POST
def moderate(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    kind, obj = _contribution(content_type_id, object_id)
    if not moderation.may_moderate(request.user, kind, obj):
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "hide":
        form = HideForm(request.POST)
        if not form.is_valid():
            context = _queue_context(request)
            for item in context["items"]:
                if (item.content_type_id, item.obj.pk) == (content_type_id, object_id):
                    item.errors = form.errors["reason"]
            return render(request, "participation/moderation_queue.html", context, status=400)
        moderation.hide(moderator=request.user, kind=kind, obj=obj, reason=form.cleaned_data["reason"])
        messages.success(request, _("The contribution is hidden and its author was told why."))
    elif action == "dismiss":
        moderation.dismiss(moderator=request.user, kind=kind, obj=obj)
        messages.success(request, _("The reports were dismissed: the contribution stays visible."))
    elif action == "unhide":
        moderation.unhide(moderator=request.user, kind=kind, obj=obj)
        messages.success(request, _("The contribution is visible again."))
    else:
        return HttpResponse(_("Unknown moderation action."), status=400)
    return redirect("participation:moderation")


def privacy(request: HttpRequest) -> HttpResponse:
    language = "en" if (get_language() or "it").startswith("en") else "it"
    context = {
        "notice": f"participation/privacy/notice_{language}.html",
        "version": personal_data.privacy_notice_version(),
        "privacy": {
            "controller": settings.PRIVACY_CONTROLLER,
            "contact": settings.PRIVACY_CONTACT,
            "dpo": settings.PRIVACY_DPO_CONTACT,
        },
    }
    return render(request, "participation/privacy.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    instance = notifications.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("participation:profile")
    context = {"form": form, "profile": instance}
    return render(request, "participation/profile.html", context, status=400 if form.errors else 200)


@login_required
def profile_data(request: HttpRequest) -> HttpResponse:
    data = json.dumps(personal_data.export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        personal_data.delete_account(user)
        return redirect("participation:account_deleted")
    status = 400 if form.errors else 200
    return render(request, "participation/delete_account.html", {"form": form}, status=status)


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/account_deleted.html")


# Mail clients send the one-click unsubscribe (RFC 8058) as a POST without the site's CSRF token:
# the unguessable token in the address is the proof, and the only change it allows is to stop emails.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    profile = ParticipantProfile.objects.filter(unsubscribe_token=token).first()
    if profile is None:
        raise Http404
    done = False
    if request.method == "POST":
        notifications.unsubscribe(token=token)
        done = True
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return render(request, "participation/unsubscribe.html", {"token": token, "done": done})
