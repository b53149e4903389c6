"""Who may moderate and run participation.

The plan office (plan editors, platform admins) runs every process; a
process's moderators hide contributions and decide reports in that process.
"""

from typing import Any

import rules

from socialplan.accounts.rules import is_plan_office

from .models import Process


@rules.predicate
def moderates_process(user: Any, process: Process | None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if process is None:
        return bool(user.moderated_processes.exists())
    return process.moderators.filter(pk=user.pk).exists()


can_moderate = is_plan_office | moderates_process

rules.add_perm("participation", is_plan_office | moderates_process)
rules.add_perm("participation.moderate_process", can_moderate)
for model_name in ("process", "phase"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"participation.{verb}_{model_name}", is_plan_office)
for verb in ("view", "change"):
    rules.add_perm(f"participation.{verb}_report", can_moderate)
