"""The life of a proposal: written while the process collects them, supported once per person, answered, withdrawn."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.participation.models import Follow, Notification
from socialplan.plan.models import Theme
from socialplan.proposals import services
from socialplan.proposals.models import Proposal, ProposalSupport


def url(name: str, *args: object, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def propose(client, setting, *, title="Mense scolastiche con le cooperative", body="Testo della proposta.", theme=""):
    client.force_login(setting.author)
    return client.post(url("proposals:new", setting.process.slug), {"title": title, "body": body, "theme": theme})


@pytest.fixture
def proposal(setting):
    return services.submit_proposal(
        process=setting.process,
        author=setting.author,
        title="Clausole sociali negli appalti",
        body="Ogni appalto di servizi preveda clausole sociali.\nCon un controllo annuale.",
        theme=Theme.objects.get(plan=setting.plan, code="social-procurement"),
    )


def test_a_participant_publishes_a_proposal_and_follows_it(client, setting):
    theme = Theme.objects.get(plan=setting.plan, code="inclusion")
    response = propose(client, setting, theme=theme.pk)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.author, proposal.theme, proposal.status) == (setting.author, theme, Proposal.Status.EVALUATING)
    assert proposal.element_keys == ["inclusion"]
    assert Follow.objects.filter(user=setting.author, object_id=proposal.pk).exists()
    page = client.get(url("proposals:detail", proposal.pk)).content.decode()
    assert "Mense scolastiche con le cooperative" in page
    assert "under evaluation" in page or "in valutazione" in page


@pytest.mark.parametrize(
    ("title", "body", "error"),
    [
        ("", "Un testo.", "This field is required"),
        ("   ", "Un testo.", "This field is required"),
        ("Titolo", "x" * 4001, "4000"),
        ("T" * 151, "Un testo.", "150"),
    ],
)
def test_empty_and_oversized_proposals_get_a_form_error(client, setting, title, body, error):
    response = propose(client, setting, title=title, body=body)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Proposal.objects.exists()


def test_writing_needs_an_account(client, setting):
    response = client.post(url("proposals:new", setting.process.slug), {"title": "T", "body": "B"})
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not Proposal.objects.exists()


def test_a_closed_process_refuses_new_proposals(client, setting):
    client.force_login(setting.author)
    page = client.get(url("proposals:new", setting.closed.slug)).content.decode()
    assert '<form method="post"' not in page
    response = client.post(url("proposals:new", setting.closed.slug), {"title": "Titolo", "body": "Un testo."})
    assert response.status_code == 200
    assert "This process is not collecting proposals now." in response.content.decode()
    assert not Proposal.objects.exists()


def test_supporting_twice_counts_once(client, setting, proposal):
    client.force_login(setting.supporter)
    for _attempt in range(2):
        assert client.post(url("proposals:support", proposal.pk)).status_code == 302
    assert ProposalSupport.objects.filter(proposal=proposal).count() == 1
    page = client.get(url("proposals:detail", proposal.pk)).content.decode()
    assert "You already support this proposal" in page
    assert "Withdraw my support" in page
    assert services.support_proposal(proposal=proposal, user=setting.supporter) is False
    client.post(url("proposals:support", proposal.pk), {"action": "withdraw"})
    assert not ProposalSupport.objects.exists()


def test_supports_are_refused_when_no_phase_opens_them(client, setting):
    closed_proposal = Proposal.objects.create(process=setting.closed, author=setting.author, title="T", body="B")
    client.force_login(setting.supporter)
    client.post(url("proposals:support", closed_proposal.pk))
    assert not ProposalSupport.objects.exists()
    page = client.get(url("proposals:detail", closed_proposal.pk)).content.decode()
    assert "Supports are closed in this process." in page
    assert "Support this proposal" not in page


def test_the_list_filters_by_theme_and_status_and_sorts_by_supports(client, setting, proposal):
    other = services.submit_proposal(process=setting.process, author=setting.other, title="Fibra nelle valli", body="B")
    services.support_proposal(proposal=other, user=setting.supporter)
    services.answer_proposal(proposal=other, status=Proposal.Status.ACCEPTED, reason="", by_user=None)
    listing = url("proposals:list", setting.process.slug)
    by_supports = client.get(listing, {"ordine": "sostegni"}).content.decode()
    assert by_supports.index("Fibra nelle valli") < by_supports.index("Clausole sociali negli appalti")
    newest = client.get(listing).content.decode()
    assert newest.index("Fibra nelle valli") < newest.index("Clausole sociali negli appalti")
    themed = client.get(listing, {"tema": "social-procurement"}).content.decode()
    assert "Clausole sociali negli appalti" in themed and "Fibra nelle valli" not in themed
    accepted = client.get(listing, {"stato": "accepted"}).content.decode()
    assert "Fibra nelle valli" in accepted and "Clausole sociali negli appalti" not in accepted
    assert "<strong>1</strong> accolta" in newest or "<strong>1</strong> accepted" in newest


def test_the_office_answers_a_rejection_only_with_a_reason(client, setting, proposal, roles):
    client.force_login(roles.editor)
    answer = url("proposals:answer", proposal.pk)
    response = client.post(answer, {"status": "rejected", "reason": "  "})
    assert response.status_code == 400
    assert "A rejected proposal needs the reason of the rejection." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EVALUATING
    response = client.post(answer, {"status": "rejected", "reason": "Serve una norma regionale."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_by) == (Proposal.Status.REJECTED, roles.editor)
    assert proposal.answered_at is not None
    page = client.get(url("proposals:detail", proposal.pk)).content.decode()
    assert "Serve una norma regionale." in page
    # The author follows the proposal from the start: they hear of the answer, in both languages.
    notice = Notification.objects.get(user=setting.author)
    assert notice.url == proposal.get_absolute_url()
    assert "Clausole sociali negli appalti" in notice.subject_it and "Clausole" in notice.subject_en
    assert "Serve una norma regionale." in notice.body_it


def test_an_acceptance_needs_no_reason(setting, proposal, roles):
    services.answer_proposal(proposal=proposal, status=Proposal.Status.ACCEPTED, reason="", by_user=roles.editor)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED


@pytest.mark.parametrize("who", ["participant", "author", "anonymous"])
def test_only_the_office_and_the_moderators_answer(client, setting, proposal, roles, who):
    user = {"participant": roles.participant, "author": setting.author, "anonymous": None}[who]
    if user is not None:
        client.force_login(user)
    response = client.post(url("proposals:answer", proposal.pk), {"status": "accepted", "reason": ""})
    assert response.status_code in (302, 403)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EVALUATING
    assert "Publish the answer" not in client.get(url("proposals:detail", proposal.pk)).content.decode()


def test_a_process_moderator_answers(client, setting, proposal, roles):
    setting.process.moderators.add(roles.participant)
    client.force_login(roles.participant)
    assert "Publish the answer" in client.get(url("proposals:detail", proposal.pk)).content.decode()
    client.post(url("proposals:answer", proposal.pk), {"status": "merged", "reason": "Nell'azione 3.2."})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.MERGED


def test_the_author_withdraws_a_proposal_still_under_evaluation(client, setting, proposal):
    client.force_login(setting.other)
    client.post(url("proposals:withdraw", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EVALUATING
    client.force_login(setting.author)
    assert "Withdraw my proposal" in client.get(url("proposals:detail", proposal.pk)).content.decode()
    client.post(url("proposals:withdraw", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    client.force_login(setting.supporter)
    client.post(url("proposals:support", proposal.pk))
    assert not ProposalSupport.objects.exists()
    with pytest.raises(services.Refused):
        services.answer_proposal(proposal=proposal, status="accepted", reason="", by_user=None)


def test_a_hidden_proposal_shows_the_reason_instead_of_its_text(client, setting, proposal, roles):
    proposal.hidden_at, proposal.hidden_reason = timezone.now(), "Dati personali"
    proposal.save()
    page = client.get(url("proposals:detail", proposal.pk)).content.decode()
    assert "Dati personali" in page and "controllo annuale" not in page
    client.force_login(roles.editor)
    assert "controllo annuale" in client.get(url("proposals:detail", proposal.pk)).content.decode()


def test_the_process_page_shows_the_counts_and_the_most_supported(client, setting, proposal):
    services.support_proposal(proposal=proposal, user=setting.supporter)
    page = client.get(url("participation:process", setting.process.slug, language="en")).content.decode()
    assert "Most supported" in page
    assert "Clausole sociali negli appalti" in page
    assert url("proposals:list", setting.process.slug, language="en") in page


def test_proposals_of_an_unpublished_process_are_not_found(client, setting, proposal):
    setting.process.published = False
    setting.process.save()
    assert client.get(url("proposals:detail", proposal.pk)).status_code == 404
    assert client.get(url("proposals:list", setting.process.slug)).status_code == 404
