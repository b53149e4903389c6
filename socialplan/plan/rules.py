"""Who may change the plan.

Plan editors (and platform admins) change everything; a theme coordinator
changes only the themes assigned to them and what lies under them
(objectives, actions, tools, milestones). With no object (the admin's list
and add pages) a coordinator is allowed when they coordinate some theme;
the admin then narrows lists and choices to their themes.
"""

from typing import Any

import rules

from socialplan.accounts.rules import coordinates_any_theme, is_plan_office

from .models import Action, Milestone, Objective, Theme, Tool


def theme_of(obj: Any) -> Theme | None:
    if isinstance(obj, Theme):
        return obj
    if isinstance(obj, Objective):
        return obj.theme
    if isinstance(obj, Action):
        return obj.objective.theme
    if isinstance(obj, Tool | Milestone):
        return obj.action.objective.theme
    return None


@rules.predicate
def coordinates_theme_of(user: Any, obj: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if obj is None:
        return bool(coordinates_any_theme(user))
    theme = theme_of(obj)
    return theme is not None and theme.coordinators.filter(pk=user.pk).exists()


can_edit_theme_content = is_plan_office | coordinates_theme_of

rules.add_perm("plan", is_plan_office | coordinates_any_theme)

for model_name in ("plan", "promoter", "visionpillar", "processphase", "contextreference"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"plan.{verb}_{model_name}", is_plan_office)

rules.add_perm("plan.view_theme", can_edit_theme_content)
rules.add_perm("plan.change_theme", can_edit_theme_content)
rules.add_perm("plan.add_theme", is_plan_office)
rules.add_perm("plan.delete_theme", is_plan_office)

for model_name in ("objective", "action", "tool", "milestone"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"plan.{verb}_{model_name}", can_edit_theme_content)

# Versions: only the plan office publishes and writes why things changed. A
# published version is never changed or deleted, and changelog entries come
# only from publishing; their reasons and sources stay editable.
rules.add_perm("plan.publish_version", is_plan_office)
rules.add_perm("plan.view_planversion", is_plan_office)
for verb in ("add", "change", "delete"):
    rules.add_perm(f"plan.{verb}_planversion", rules.always_deny)
rules.add_perm("plan.view_changelogentry", is_plan_office)
rules.add_perm("plan.change_changelogentry", is_plan_office)
rules.add_perm("plan.add_changelogentry", rules.always_deny)
rules.add_perm("plan.delete_changelogentry", rules.always_deny)
for verb in ("view", "add", "change", "delete"):
    rules.add_perm(f"plan.{verb}_changelogsource", is_plan_office)
