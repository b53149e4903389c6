"""Pages of the opinion groups: voting one statement at a time, the groups, the moderation of statements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socialplan.participation import ratelimit
from socialplan.participation.ratelimit import RateLimited

from . import groups, selectors, services
from .forms import StatementForm
from .models import Conversation, Statement, Vote


def _posted_id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _conversation(pk: int) -> Conversation:
    return get_object_or_404(selectors.published_conversations(), pk=pk)


def _vote_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    status: int = 200,
    error: str = "",
    form: StatementForm | None = None,
) -> HttpResponse:
    user = request.user
    signed_in = user.is_authenticated
    context: dict[str, Any] = {
        "conversation": conversation,
        "process": conversation.process,
        "is_open": conversation.is_open(),
        "has_closed": conversation.has_closed(),
        "error": error,
        "form": form or StatementForm(),
        "may_moderate": signed_in and services.may_moderate(user, conversation),
        "vote_choices": [Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS],
    }
    if signed_in:
        context.update(
            statement=selectors.next_statement(conversation, user) if context["is_open"] else None,
            progress=selectors.progress(conversation, user),
            my_votes=list(selectors.votes_of(conversation, user)),
            my_pending=list(selectors.own_pending(conversation, user)),
        )
    return render(request, "opinions/vote.html", context, status=status)


def vote_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _vote_page(request, _conversation(pk))


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    statement = Statement.objects.filter(conversation=conversation, pk=_posted_id(request, "statement")).first()
    choice = request.POST.get("value", "")
    if statement is None:
        return _vote_page(request, conversation, status=400, error=_("This statement cannot be voted on."))
    try:
        ratelimit.check(request, "vote")
        if choice == "withdraw":
            services.withdraw_vote(participant=request.user, statement=statement)
            messages.success(request, _("Vote withdrawn."))
        else:
            try:
                value = int(choice)
            except ValueError:
                value = 2  # not a vote value: cast_vote refuses it with its message
            services.cast_vote(participant=request.user, statement=statement, value=value)
    except RateLimited as limited:
        return _vote_page(request, conversation, status=429, error=str(limited))
    except services.Refused as refused:
        return _vote_page(request, conversation, status=403 if conversation.has_closed() else 400, error=str(refused))
    anchor = "#my-votes" if request.POST.get("next") == "list" else ""
    return redirect(conversation.get_absolute_url() + anchor)


@login_required
@require_POST
def add_statement(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _vote_page(request, conversation, status=400, form=form)
    try:
        ratelimit.check(request, "statement")
        services.add_statement(
            author=request.user,
            conversation=conversation,
            text=form.cleaned_data["text"],
            address_hash=ratelimit.address_hash(request),
        )
    except RateLimited as limited:
        form.add_error(None, str(limited))
        return _vote_page(request, conversation, status=429, form=form)
    except services.Refused as refused:
        form.add_error(None, str(refused))
        return _vote_page(request, conversation, status=403 if conversation.has_closed() else 400, form=form)
    messages.success(
        request, _("Thank you: your statement awaits moderation. Once accepted, the other participants can vote on it.")
    )
    return redirect(conversation.get_absolute_url())


def results(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    result = selectors.latest_result(conversation)
    context: dict[str, Any] = {
        "conversation": conversation,
        "process": conversation.process,
        "result": result,
        "may_moderate": request.user.is_authenticated and services.may_moderate(request.user, conversation),
    }
    if result is not None:
        context.update(selectors.results_view(result))
    else:
        context["reason"] = groups.waiting_message(selectors.clusterable_participants(conversation))
    return render(request, "opinions/results.html", context)


@login_required
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    if not services.may_moderate(request.user, conversation):
        raise PermissionDenied
    if request.method == "POST":
        statement = get_object_or_404(
            Statement, pk=_posted_id(request, "statement"), conversation=conversation, status=Statement.Status.PENDING
        )
        accept = request.POST.get("decision") == "accept"
        services.moderate_statement(moderator=request.user, statement=statement, accept=accept)
        messages.success(request, _("Statement accepted.") if accept else _("Statement rejected."))
        return redirect("opinions:moderation", pk=conversation.pk)
    context = {
        "conversation": conversation,
        "process": conversation.process,
        "pending": list(selectors.pending_statements(conversation)),
    }
    return render(request, "opinions/moderation.html", context)
