"""Who may answer and withdraw proposals.

The plan office and the moderators of a proposal's process answer it; only
its author withdraws it.
"""

from typing import Any

import rules

from socialplan.accounts.rules import is_plan_office
from socialplan.participation.rules import moderates_process


@rules.predicate
def moderates_the_process(user: Any, proposal: Any) -> bool:
    return proposal is not None and moderates_process(user, proposal.process)


@rules.predicate
def wrote_it(user: Any, proposal: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and proposal is not None and proposal.author_id == user.pk)


can_answer = is_plan_office | moderates_the_process

rules.add_perm("proposals.answer_proposal", can_answer)
rules.add_perm("proposals.withdraw_proposal", wrote_it)
