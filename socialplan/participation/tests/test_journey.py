"""The issue's journey, through the pages: a participant annotates a passage of a draft objective and supports a
proposal; the plan office accepts the proposal into version 2 of the plan and links both contributions to the
change; the participant sees the outcome on each."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.accounts.models import User
from socialplan.accounts.services import make_plan_editor
from socialplan.consultations import services as consultation_services
from socialplan.consultations.models import Annotation
from socialplan.participation.models import Opening, Phase, Process
from socialplan.plan import services as plan_services
from socialplan.plan.models import Action, ChangelogEntry, Objective
from socialplan.proposals.models import Proposal, ProposalSupport

OBJECTIVE = "social-procurement/sp-o1"


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_from_a_comment_on_a_passage_to_the_plan_change_it_led_to(torino):
    plan_services.publish_first_version(plan=torino)
    today, now = timezone.localdate(), timezone.now()
    process = Process.objects.create(plan=torino, slug="revisione", title_it="Revisione", title_en="Revision")
    Phase.objects.create(
        process=process, code="ascolto", title_it="Ascolto", title_en="Listening",
        start_date=today - timedelta(days=1), end_date=today + timedelta(days=10),
        openings=[Opening.COMMENTS, Opening.ANNOTATIONS, Opening.PROPOSALS, Opening.SUPPORTS],
    )  # fmt: skip
    consultation = consultation_services.open_consultation(
        process, title="Bozza", element_keys=[OBJECTIVE], opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=10),
    )  # fmt: skip
    section = consultation.sections.get(element_key=OBJECTIVE)
    objective = Objective.objects.get(theme__plan=torino, code="sp-o1")
    assert section.heading == objective.title_it
    # The plan's objectives have a title only: the office writes the draft text of the revision (back office).
    section.body = (
        "Rafforzare la collaborazione tra enti pubblici, imprese e Terzo settore. "
        "Estendere le clausole sociali agli appalti pubblici della Città metropolitana."
    )
    section.save()
    passage = "Estendere le clausole sociali agli appalti pubblici"

    participant = User.objects.create_user(email="giulia@example.org", password="x")
    author = User.objects.create_user(email="marco@example.org", password="x")
    editor = User.objects.create_user(email="ufficio@example.org", password="x")
    make_plan_editor(user=editor)
    giulia, marco, office = signed_in(participant), signed_in(author), signed_in(editor)

    # The participant annotates a passage of the objective, and supports another participant's proposal.
    annotated = giulia.post(
        en("consultations:annotate", consultation.pk, section.pk),
        {"quote": passage, "body": "Aggiungere le clausole sociali negli appalti privati."},
    )
    assert annotated.status_code == 302
    annotation = Annotation.objects.get()
    assert section.body[annotation.start : annotation.end] == passage
    marco.post(
        en("proposals:new", process.slug),
        {"title": "Clausole sociali nei contratti privati", "body": "Anche le imprese private.", "theme": ""},
    )
    proposal = Proposal.objects.get()
    assert giulia.post(en("proposals:support", proposal.pk)).status_code == 302
    assert ProposalSupport.objects.filter(proposal=proposal, user=participant).count() == 1

    # The plan office accepts the proposal, adds the action to the plan and publishes version 2.
    answered = office.post(en("proposals:answer", proposal.pk), {"status": "accepted", "reason": "Nel piano."})
    assert answered.status_code == 302
    Action.objects.create(objective=objective, code="sp-private", order=99, title_it="Clausole nei privati",
                          title_en="Clauses in private contracts")  # fmt: skip
    version = plan_services.publish_version(plan=torino, user=editor, summary_it="Revisione 2026")
    entry = ChangelogEntry.objects.get(version=version, element_key=f"{OBJECTIVE}/sp-private")
    for kind, contribution in (("proposals.proposal", proposal), ("consultations.annotation", annotation)):
        linked = office.post(
            reverse("participation:traceability"), {"tipo": kind, "id": contribution.pk, "entry": entry.pk}
        )
        assert linked.status_code == 302, linked.content.decode()[:500]

    # The participant sees what became of what they said, and the action shows the contributions behind it.
    outcome = f"Accepted in version {version.number}: action “Clauses in private contracts” added"
    assert outcome in giulia.get(en("proposals:detail", proposal.pk)).content.decode()
    assert outcome in giulia.get(en("consultations:detail", consultation.pk)).content.decode()
    action_page = giulia.get(Action.objects.get(code="sp-private").get_absolute_url()).content.decode()
    assert proposal.get_absolute_url() in action_page
    assert "Aggiungere le clausole sociali negli appalti privati." in action_page
