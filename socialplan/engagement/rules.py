"""Who runs meetings and reads interviews.

A meeting's attendance and minutes belong to those who run its process (the
plan office and the process's moderators). Interview records, with their
confidential notes, are the plan office's alone.
"""

from typing import Any

import rules

from socialplan.accounts.rules import is_plan_office
from socialplan.participation.rules import can_moderate


@rules.predicate
def runs_meeting(user: Any, meeting: Any) -> bool:
    return bool(meeting is not None and can_moderate(user, meeting.process))


rules.add_perm("engagement.run_meeting", runs_meeting)
rules.add_perm("engagement.view_interview_notes", is_plan_office)
for model_name in ("survey", "question", "choice", "meeting", "registration", "interview", "response", "answer"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"engagement.{verb}_{model_name}", is_plan_office)
rules.add_perm("engagement", is_plan_office)
