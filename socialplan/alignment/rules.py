"""Who may link the plan to the frameworks, and who may change the frameworks.

The plan office (platform admins and plan editors) manages every alignment;
a theme coordinator manages the alignments of the elements under their
themes (the theme, its objectives and actions), never the plan's own. With
no object (the back office's list and add pages) a coordinator is let in and
the admin narrows what they see and may choose.

The frameworks and their items are reference data: those who manage
alignments may read them, only platform admins may change them.
"""

from typing import Any

import rules

from socialplan.accounts.rules import coordinates_any_theme, is_plan_office, is_platform_admin
from socialplan.plan.rules import coordinates_theme_of

from .models import Alignment


@rules.predicate
def coordinates_aligned_element(user: Any, obj: Any) -> bool:
    if obj is None:
        return bool(coordinates_any_theme(user))
    return isinstance(obj, Alignment) and bool(coordinates_theme_of(user, obj.element))


manages_alignment = is_plan_office | coordinates_aligned_element
reads_frameworks = is_plan_office | coordinates_any_theme

rules.add_perm("alignment", reads_frameworks)

for verb in ("view", "add", "change", "delete"):
    rules.add_perm(f"alignment.{verb}_alignment", manages_alignment)

for model_name in ("framework", "frameworkitem"):
    rules.add_perm(f"alignment.view_{model_name}", reads_frameworks)
    for verb in ("add", "change", "delete"):
        rules.add_perm(f"alignment.{verb}_{model_name}", is_platform_admin)
