"""Who may change the registry in the back office.

Legal bases and their value caps are the law as data: only the plan office
(platform admins and plan editors) reads and changes them. Buyers,
opportunities, their lots and documents are kept by the plan office too until
buyers publish their own (a later step of the opportunities work).
"""

import rules

from socialplan.accounts.rules import is_plan_office

rules.add_perm("opportunities", is_plan_office)

for model_name in ("legalbasis", "valuecap", "buyer", "opportunity", "lot", "document"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"opportunities.{verb}_{model_name}", is_plan_office)
