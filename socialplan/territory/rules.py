"""Who may see and correct the territory data.

The data is ISTAT's and arrives through `load_territory` from the committed
file. The plan office (platform admins and plan editors) sees it in the back
office; only platform admins correct how a territory is presented (its
names, the attribution). Comuni are read-only there: a wrong figure is
corrected at the source and the file rebuilt, so that file and database agree.
"""

import rules

from socialplan.accounts.rules import is_plan_office, is_platform_admin

rules.add_perm("territory", is_plan_office)
rules.add_perm("territory.view_territory", is_plan_office)
rules.add_perm("territory.view_comune", is_plan_office)
rules.add_perm("territory.change_territory", is_platform_admin)
