"""Who may change the registry in the back office.

Legal bases and their value caps are the law as data: only the plan office
(platform admins and plan editors) reads and changes them. In the back office,
buyers, opportunities, their lots and documents, awards, the social value
measures and proxies, commitments and deliveries are the plan office's too.
Buyers' members publish their own opportunities and state commitments, and
suppliers' members report delivery, in the buyers' area (socialplan/buyers,
with its own rules).
"""

import rules

from socialplan.accounts.rules import is_plan_office

rules.add_perm("opportunities", is_plan_office)

MODELS = (
    "legalbasis",
    "valuecap",
    "buyer",
    "opportunity",
    "lot",
    "document",
    "award",
    "awardsupplier",
    "socialvaluemeasure",
    "proxyvalue",
    "socialvaluecommitment",
    "socialvaluedelivery",
)
for model_name in MODELS:
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"opportunities.{verb}_{model_name}", is_plan_office)
