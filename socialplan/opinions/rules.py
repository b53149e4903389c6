"""Who runs the opinion conversations: the plan office; statements are moderated as in services.may_moderate."""

import rules

from socialplan.accounts.rules import is_plan_office

for model_name in ("conversation", "statement"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"opinions.{verb}_{model_name}", is_plan_office)
rules.add_perm("opinions.view_groupsresult", is_plan_office)
