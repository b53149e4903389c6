"""Reports and moderation: who may report and decide, what the queue shows, what the author is told."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from socialplan.participation import contributions
from socialplan.participation.models import Notification, Report
from socialplan.proposals.models import Proposal

from .people import people  # noqa: F401

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_registered_kind_can_be_moderated():
    """The queue reads the kind's text and process through the registry: the fields must exist."""
    assert any(kind.model == "proposals.Proposal" for kind in contributions.kinds())
    for kind in contributions.kinds():
        model = kind.model_class
        for name in ("hidden_at", "hidden_by", "hidden_reason", kind.text_field, kind.person_field):
            model._meta.get_field(name)
        model._default_manager.select_related(kind.process_lookup).filter(pk=0).exists()


def test_report_page_needs_login(people):  # noqa: F811
    response = Client().get(people.report_url())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_participant_reports_once(people):  # noqa: F811
    client = client_for(people.reporter)
    page = client.get(people.report_url())
    assert page.status_code == 200
    assert "Piantiamo alberi &lt;b&gt;nei cortili&lt;/b&gt;." in page.content.decode()
    response = client.post(people.report_url(), {"reason": "spam", "details": "Pubblicità"})
    assert response.status_code == 302
    again = client.post(people.report_url(), {"reason": "offensive"})
    assert again.status_code == 302
    assert Report.objects.filter(reporter=people.reporter).count() == 1
    report = Report.objects.get()
    assert (report.target, report.reason, report.details, report.decision) == (
        people.proposal,
        "spam",
        "Pubblicità",
        "pending",
    )


def test_a_report_needs_a_known_reason_and_short_details(people):  # noqa: F811
    client = client_for(people.reporter)
    assert client.post(people.report_url(), {"reason": "boring"}).status_code == 400
    assert client.post(people.report_url(), {"reason": "spam", "details": "x" * 1001}).status_code == 400
    assert not Report.objects.exists()


def test_reports_are_rate_limited(people, settings):  # noqa: F811
    settings.PARTICIPATION_RATE_LIMITS = {"report": (1, 3600)}
    client = client_for(people.reporter)
    assert client.post(people.report_url(), {"reason": "spam"}).status_code == 302
    response = client.post(people.report_url(people.other_proposal), {"reason": "spam"})
    assert response.status_code == 429
    assert "Too many contributions" in response.content.decode() or "Troppi" in response.content.decode()
    assert Report.objects.count() == 1


def test_only_contributions_can_be_reported(people):  # noqa: F811
    client = client_for(people.reporter)
    user_type = ContentType.objects.get_for_model(people.author)
    assert client.get(reverse("participation:report", args=[user_type.pk, people.author.pk])).status_code == 404
    proposal_type = ContentType.objects.get_for_model(Proposal)
    assert client.get(reverse("participation:report", args=[proposal_type.pk, 999999])).status_code == 404


def _report(people, obj=None, reporter=None):  # noqa: F811
    obj = obj or people.proposal
    return Report.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        reporter=reporter or people.reporter,
        reason="offensive",
        details="Insulti",
    )


def test_the_queue_groups_reports_by_contribution_for_the_process_moderator(people, roles):  # noqa: F811
    _report(people)
    _report(people, reporter=roles.participant)
    _report(people, obj=people.other_proposal)
    page = client_for(people.moderator).get(reverse("participation:moderation"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("Piantiamo alberi") == 1
    assert "2 reports" in html or "2 segnalazioni" in html
    assert "Aprire la sera." not in html  # another process's contribution
    office = client_for(roles.editor).get(reverse("participation:moderation")).content.decode()
    assert "Piantiamo alberi" in office and "Aprire la sera." in office


def test_the_queue_is_closed_to_participants(people):  # noqa: F811
    assert client_for(people.reporter).get(reverse("participation:moderation")).status_code == 403
    assert Client().get(reverse("participation:moderation")).status_code == 302


def test_hiding_records_the_reason_decides_the_reports_and_tells_the_author(people):  # noqa: F811
    _report(people)
    response = client_for(people.moderator).post(
        people.moderate_url(), {"action": "hide", "reason": "Contiene insulti"}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(pk=people.proposal.pk)
    assert proposal.hidden_at is not None
    assert proposal.hidden_by == people.moderator
    assert proposal.hidden_reason == "Contiene insulti"
    report = Report.objects.get()
    assert (report.decision, report.decided_by) == ("hidden", people.moderator)
    notice = Notification.objects.get(user=people.author)
    assert "Contiene insulti" in notice.body_it and "Contiene insulti" in notice.body_en


def test_hiding_needs_a_reason(people):  # noqa: F811
    _report(people)
    response = client_for(people.moderator).post(people.moderate_url(), {"action": "hide", "reason": "  "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert Proposal.objects.get(pk=people.proposal.pk).hidden_at is None


def test_a_moderator_cannot_decide_in_another_process(people):  # noqa: F811
    _report(people)
    client = client_for(people.other_moderator)
    assert client.post(people.moderate_url(), {"action": "hide", "reason": "No"}).status_code == 403
    assert client.post(people.moderate_url(), {"action": "dismiss"}).status_code == 403
    assert client_for(people.reporter).post(people.moderate_url(), {"action": "dismiss"}).status_code == 403
    assert Proposal.objects.get(pk=people.proposal.pk).hidden_at is None
    assert Report.objects.get().decision == "pending"


def test_dismissing_keeps_the_contribution_visible(people):  # noqa: F811
    _report(people)
    assert client_for(people.moderator).post(people.moderate_url(), {"action": "dismiss"}).status_code == 302
    assert Report.objects.get().decision == "dismissed"
    assert Proposal.objects.get(pk=people.proposal.pk).hidden_at is None
    page = client_for(people.moderator).get(reverse("participation:moderation")).content.decode()
    assert "Piantiamo alberi" not in page


def test_the_plan_office_unhides(people, roles):  # noqa: F811
    client = client_for(roles.editor)
    client.post(people.moderate_url(), {"action": "hide", "reason": "Errore"})
    assert "Errore" in client.get(reverse("participation:moderation")).content.decode()
    assert client.post(people.moderate_url(), {"action": "unhide"}).status_code == 302
    proposal = Proposal.objects.get(pk=people.proposal.pk)
    assert (proposal.hidden_at, proposal.hidden_by, proposal.hidden_reason) == (None, None, "")
    assert Notification.objects.filter(user=people.author).count() == 2


def test_moderation_is_post_only(people):  # noqa: F811
    assert client_for(people.moderator).get(people.moderate_url()).status_code == 405


def test_the_report_link_points_at_the_report_page(people, rf):  # noqa: F811
    from django.template.loader import render_to_string

    html = render_to_string("participation/includes/report_link.html", {"object": people.proposal})
    assert f'href="{people.report_url()}"' in html


@pytest.mark.parametrize(
    ("role", "queue", "decide"),
    [
        ("admin", 200, 302),
        ("editor", 200, 302),
        ("moderator", 200, 302),
        ("other_moderator", 200, 403),
        ("coordinator", 403, 403),
        ("member", 403, 403),
        ("participant", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_permission_matrix(people, roles, role, queue, decide):  # noqa: F811
    """Every role against the queue and the three decisions on a contribution of process A."""
    user = getattr(people, role, None) or roles.as_dict()[role]
    client = client_for(user) if user is not None else Client()
    assert client.get(reverse("participation:moderation")).status_code == queue
    for action in ("dismiss", "hide", "unhide"):
        _report(people)
        response = client.post(people.moderate_url(), {"action": action, "reason": "Motivo"})
        assert response.status_code == decide, action
        if decide == 302 and user is None:
            assert reverse("account_login") in response["Location"]
        Report.objects.all().delete()
    # Allowed: hidden then shown again, the author told both times. Denied: never touched.
    assert Proposal.objects.get(pk=people.proposal.pk).hidden_at is None
    told = Notification.objects.filter(user=people.author).count()
    assert told == (2 if decide == 302 and user is not None else 0)


def test_the_queue_costs_the_same_queries_whatever_the_number_of_reports(people, roles):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(roles.editor)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("participation:moderation")).status_code == 200
        return len(queries)

    _report(people)
    few = measure()
    for number in range(20):
        proposal = Proposal.objects.create(
            process=people.process, author=people.author, title=f"P{number}", body="Testo"
        )
        _report(people, obj=proposal)
    assert measure() <= few
