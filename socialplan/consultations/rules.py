"""Who may run consultations: the plan office opens them and edits their sections; moderators of the
process hide contributions from the moderation queue (participation.rules)."""

import rules

from socialplan.accounts.rules import is_plan_office
from socialplan.participation.rules import can_moderate

rules.add_perm("consultations", is_plan_office | can_moderate)
for model_name in ("consultation", "section"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"consultations.{verb}_{model_name}", is_plan_office)
for model_name in ("comment", "annotation", "anonymousanswer"):
    rules.add_perm(f"consultations.view_{model_name}", is_plan_office | can_moderate)
    rules.add_perm(f"consultations.change_{model_name}", is_plan_office | can_moderate)
