"""Each proposal's support count kept on write equals the supports stored."""

import pytest

from socialplan.proposals import counters, services
from socialplan.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_supports_and_withdrawals_keep_the_count(setting):
    proposal = services.submit_proposal(
        process=setting.process, author=setting.author, title="Sportello unico", body="Un solo sportello per gli ETS."
    )
    assert services.support_proposal(proposal=proposal, user=setting.supporter)
    assert not services.support_proposal(proposal=proposal, user=setting.supporter)
    assert services.support_proposal(proposal=proposal, user=setting.other)
    assert services.withdraw_support(proposal=proposal, user=setting.other)
    assert not services.withdraw_support(proposal=proposal, user=setting.other)
    proposal.refresh_from_db()
    assert proposal.support_count == proposal.supports.count() == 1
    Proposal.objects.filter(pk=proposal.pk).update(support_count=7)  # a count gone wrong (e.g. an edit in the database)
    counters.recount(setting.process)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
