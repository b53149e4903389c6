"""Who may keep the registry of organizations in the back office: the plan office.

The plan office (plan editors and platform admins) sees and changes every
organization, its ATECO activities and the people acting for it, imports
and exports the directory. Organization administrators and members change
their own organization in the personal area, not here. CPV codes are
reference data loaded by `manage.py load_cpv`: the back office only reads
them (they feed the CPV autocomplete). `rules.py` imports this module so that
rules' autodiscovery registers both.
"""

import rules

from socialplan.accounts.rules import is_plan_office

for model_name in ("organization", "atecoactivity", "person", "position"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"ecosystem.{verb}_{model_name}", is_plan_office)

rules.add_perm("ecosystem.view_cpvcode", is_plan_office)
for verb in ("add", "change", "delete"):
    rules.add_perm(f"ecosystem.{verb}_cpvcode", rules.always_deny)

rules.add_perm("ecosystem.import_organizations", is_plan_office)
rules.add_perm("ecosystem.export_organizations", is_plan_office)
