"""The demo conversation: three clear groups from the 120 demo participants, loaded once, removed with the demo."""

from socialplan.opinions import demo
from socialplan.opinions.models import Conversation, GroupsResult, Vote
from socialplan.participation.demo import demo_participants
from socialplan.participation.models import Process


def test_the_demo_shows_three_groups_and_loads_once(torino):
    process = Process.objects.create(plan=torino, slug="demo-revisione-2026", title="Revisione (demo)")
    participants, _created = demo_participants()
    report = demo.load_demo(process, participants)
    assert "20 statements" in report and "3 groups" in report
    result = GroupsResult.objects.get(conversation__slug=demo.DEMO_SLUG)
    assert result.participants == 120
    # The three outlooks have 40 participants each; personal variation may move one or two across.
    assert all(36 <= group["size"] <= 44 for group in result.groups)
    assert all(group["representative"] for group in result.groups)
    votes = Vote.objects.count()
    assert demo.load_demo(process, participants) == "opinions: demo conversation already loaded"
    assert Vote.objects.count() == votes
    assert demo.remove_demo() > 0
    assert not Conversation.objects.exists() and not Vote.objects.exists()
