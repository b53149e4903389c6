"""Who may change the registry in the back office.

Legal bases and their value caps are the law as data: only the plan office
(platform admins and plan editors) reads and changes them. Buyers,
opportunities, their lots and documents are kept by the plan office too until
buyers publish their own (a later step of the opportunities work); so are
awards, the social value measures and proxies, and the commitments and
deliveries of social value.
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
