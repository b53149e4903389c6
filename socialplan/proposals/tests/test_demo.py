"""The demo proposals: about 25 across the themes, with supports, five answered; loaded once, removed whole."""

from socialplan.participation.demo import demo_participants
from socialplan.proposals import demo
from socialplan.proposals.models import Proposal, ProposalSupport

from .conftest import make_process


def test_the_demo_loads_once_and_is_removed(torino):
    process = make_process(torino, slug="demo-revisione-2026", openings=["proposals", "supports"])
    participants, _created = demo_participants(count=30)
    demo.load_demo(process, participants)
    proposals = Proposal.objects.filter(process=process)
    assert proposals.count() == len(demo.PROPOSALS) == 25
    assert proposals.filter(theme__isnull=False).values("theme").distinct().count() >= 7
    answered = proposals.exclude(status=Proposal.Status.EVALUATING)
    assert sorted(answered.values_list("status", flat=True)) == [
        "accepted",
        "accepted",
        "merged",
        "rejected",
        "rejected",
    ]
    assert all(proposal.status_reason for proposal in answered)
    supports = ProposalSupport.objects.filter(proposal__process=process).count()
    assert supports > 0
    demo.load_demo(process, participants)
    assert (proposals.count(), ProposalSupport.objects.count()) == (25, supports)
    assert demo.remove_demo() == 25 + supports
    assert not Proposal.objects.exists()
