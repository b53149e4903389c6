"""The consultation pages: the draft with its comments and annotations, the writes, the results.

Reading is public; writing needs an account, except the short answers of a
consultation in open mode. A refused write shows the page again with the
reason next to the form: 400 for what the participant can correct, 403 once
the consultation is closed, 429 past the rate limit.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socialplan.participation import ratelimit

from . import selectors, services
from .forms import AnnotationForm, AnswerForm, CommentForm
from .models import Annotation, Comment, Consultation, Section

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _consultation(pk: int) -> Consultation:
    consultation = selectors.consultation_by_pk(pk)
    if consultation is None:
        raise Http404
    return consultation


def _sort(request: HttpRequest) -> str:
    wanted = request.GET.get("ordine", "")
    return wanted if wanted in selectors.SORTS else selectors.SORT_NEWEST


def _render_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    bound: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The consultation page; `bound` is (place, form) for a form shown back with its errors at its place."""
    sort = _sort(request)
    place, number = request.GET.get("luogo", ""), request.GET.get("pagina", "")
    pages = {place: int(number)} if place and number.isdigit() and len(number) < 6 else {}
    page = selectors.consultation_page(consultation=consultation, user=request.user, sort=sort, pages=pages)
    place, form = bound or ("", None)

    def form_at(key: str, factory: Any) -> Any:
        return form if key == place else factory()

    # One reply form, under the comment the reader chose to answer (`?rispondi=`), or the one shown back with its
    # errors; every other comment has a link that opens it. A form under each of a page's comments would be most of
    # the page's weight and rendering time.
    replying_to = place.removeprefix("reply-") if place.startswith("reply-") else request.GET.get("rispondi", "")

    def attach_reply_form(nodes: list[selectors.CommentNode]) -> None:
        for node in nodes:
            pk = node.comment.pk
            if str(pk) == replying_to:
                node.reply_form = form_at(f"reply-{pk}", lambda pk=pk: CommentForm(auto_id=f"reply-{pk}-%s"))
            attach_reply_form(node.replies)

    replying = consultation.is_open() and request.user.is_authenticated
    for view in page.sections:
        pk = view.section.pk
        view.comment_form = form_at(f"section-{pk}", lambda pk=pk: CommentForm(auto_id=f"section-{pk}-%s"))
        view.annotate_form = form_at(f"annotate-{pk}", lambda pk=pk: AnnotationForm(auto_id=f"annotate-{pk}-%s"))
        if replying and replying_to:
            attach_reply_form(view.comments)
    if replying and replying_to:
        attach_reply_form(page.general_comments)
    # The reply links keep the page the reader is on (place, page, order).
    kept = request.GET.copy()
    kept.pop("rispondi", None)
    kept["rispondi"] = ""
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "page": page,
        "status": consultation.status(),
        "is_open": consultation.is_open(),
        # Read once: the comments' templates ask on every comment, and each `request.user` lookup goes through a
        # lazy object.
        "signed_in": request.user.is_authenticated,
        "writing": replying,
        "sort": sort,
        "sorts": [(selectors.SORT_NEWEST, _("Newest first")), (selectors.SORT_SUPPORTED, _("Most supported first"))],
        "general_form": form_at("general", lambda: CommentForm(auto_id="general-%s")),
        "answer_form": form_at("answer", lambda: AnswerForm(auto_id="answer-%s", consultation_pk=consultation.pk)),
        "can_moderate": request.user.has_perm("participation.moderate_process", consultation.process),
        "error_place": place,
        "reply_query": kept.urlencode(),
    }
    return render(request, "consultations/consultation.html", context, status=status)


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_page(request, _consultation(pk))


def _refused(
    request: HttpRequest, consultation: Consultation, place: str, form: Any, error: ValidationError | None = None
) -> HttpResponse:
    """Show the page again with the form at `place` and its errors (a service's `error` added to them)."""
    if not consultation.is_open():
        # The forms are gone from the page: the reason goes in the message at the top.
        reason = " ".join(error.messages) if error is not None else ""
        messages.error(request, reason or _("The consultation does not accept contributions now."))
        return _render_page(request, consultation, status=403)
    if error is not None:
        form.add_service_error(error)
    messages.error(request, _("Your contribution was not saved: see the reason next to the form."))
    return _render_page(request, consultation, bound=(place, form), status=400)


def _rate_limited(
    request: HttpRequest, consultation: Consultation, place: str, form: Any, error: ratelimit.RateLimited
) -> HttpResponse:
    form.add_error(None, str(error))
    messages.error(request, str(error))
    return _render_page(request, consultation, bound=(place, form), status=429)


def _checked(
    request: HttpRequest, consultation: Consultation, place: str, form: Any, action: str
) -> HttpResponse | None:
    """The checks every write makes before its service, in order: the consultation's dates (before
    reading the form, with the reason), the form, the rate limit of `action`. None: go ahead."""
    try:
        services.check_open(consultation)
    except ValidationError as error:
        return _refused(request, consultation, place, form, error)
    if not form.is_valid():
        return _refused(request, consultation, place, form)
    try:
        ratelimit.check(request, action)
    except ratelimit.RateLimited as error:
        return _rate_limited(request, consultation, place, form, error)
    return None


def _posted_id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


@login_required
@require_POST
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    section = parent = None
    place = "general"
    if request.POST.get("parent"):
        parent = Comment.objects.filter(consultation=consultation, pk=_posted_id(request, "parent")).first()
        if parent is None:
            raise Http404
        place = f"reply-{parent.pk}"
    elif request.POST.get("section"):
        section = Section.objects.filter(consultation=consultation, pk=_posted_id(request, "section")).first()
        if section is None:
            raise Http404
        place = f"section-{section.pk}"
    form = CommentForm(request.POST, auto_id=f"{place}-%s")
    refused = _checked(request, consultation, place, form, "comment")
    if refused is not None:
        return refused
    try:
        comment = services.post_comment(
            consultation=consultation,
            user=request.user,
            body=form.cleaned_data["body"],
            section=section,
            parent=parent,
            address_hash=ratelimit.address_hash(request),
        )
    except ValidationError as error:
        return _refused(request, consultation, place, form, error)
    messages.success(request, _("Thank you: your comment is published."))
    return redirect(f"{consultation.get_absolute_url()}#commento-{comment.pk}")


@login_required
@require_POST
def post_annotation(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    section = Section.objects.filter(consultation=consultation, pk=section_pk).select_related("consultation").first()
    if section is None:
        raise Http404
    place = f"annotate-{section.pk}"
    form = AnnotationForm(request.POST, auto_id=f"{place}-%s")
    refused = _checked(request, consultation, place, form, "annotation")
    if refused is not None:
        return refused
    data = form.cleaned_data
    try:
        annotation = services.annotate(
            section=section,
            user=request.user,
            quote=data["quote"],
            body=data["body"],
            start=data.get("start"),
            end=data.get("end"),
            address_hash=ratelimit.address_hash(request),
        )
    except ValidationError as error:
        return _refused(request, consultation, place, form, error)
    messages.success(request, _("Thank you: your annotation is published."))
    return redirect(f"{consultation.get_absolute_url()}#annotazione-{annotation.pk}")


def _support(
    request: HttpRequest, consultation: Consultation, target: Comment | Annotation, anchor: str
) -> HttpResponse:
    try:
        ratelimit.check(request, "support")
        if isinstance(target, Comment):
            counted = services.support_comment(comment=target, user=request.user)
        else:
            counted = services.support_annotation(annotation=target, user=request.user)
    except ratelimit.RateLimited as error:
        messages.error(request, str(error))
        return _render_page(request, consultation, status=429)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_page(request, consultation, status=403 if not consultation.is_open() else 400)
    if counted:
        messages.success(request, _("Your support is counted."))
    else:
        messages.info(request, _("You already support it: each participant counts once."))
    return redirect(f"{consultation.get_absolute_url()}#{anchor}")


@login_required
@require_POST
def support_comment(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    comment = Comment.objects.filter(consultation=consultation, pk=comment_pk).select_related("consultation").first()
    if comment is None:
        raise Http404
    return _support(request, consultation, comment, f"commento-{comment.pk}")


@login_required
@require_POST
def support_annotation(request: HttpRequest, pk: int, annotation_pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    annotation = (
        Annotation.objects.filter(section__consultation=consultation, pk=annotation_pk)
        .select_related("section__consultation")
        .first()
    )
    if annotation is None:
        raise Http404
    return _support(request, consultation, annotation, f"annotazione-{annotation.pk}")


@require_POST
def post_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    if not consultation.open_mode:
        raise Http404
    place = "answer"
    form = AnswerForm(request.POST, auto_id="answer-%s", consultation_pk=consultation.pk)
    refused = _checked(request, consultation, place, form, "anonymous")
    if refused is not None:
        return refused
    try:
        answer = services.post_anonymous_answer(
            consultation=consultation, body=form.cleaned_data["body"], address_hash=ratelimit.address_hash(request)
        )
    except ValidationError as error:
        return _refused(request, consultation, place, form, error)
    messages.success(request, _("Thank you: your answer is recorded."))
    return redirect(f"{consultation.get_absolute_url()}#risposta-{answer.pk}")


def consultation_results(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "results": selectors.results(consultation=consultation),
        "status": consultation.status(),
    }
    return render(request, "consultations/results.html", context)


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def consultation_csv(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultazione-{consultation.pk}.csv"'
    response.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
    writer = csv.writer(response)
    for row in selectors.export_rows(consultation=consultation):
        writer.writerow([_cell(value) for value in row])
    return response
