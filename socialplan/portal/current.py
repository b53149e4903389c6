"""The plan the portal shows, read once per request.

Both the views and the `portal` context processor (header and footer) need
the plan and its promoters; keeping it on the request saves the second read.
"""

from django.http import HttpRequest

from socialplan.plan.models import Plan
from socialplan.plan.selectors import get_public_plan

_ATTRIBUTE = "_portal_plan"


def current_plan(request: HttpRequest) -> Plan | None:
    if not hasattr(request, _ATTRIBUTE):
        setattr(request, _ATTRIBUTE, get_public_plan())
    plan: Plan | None = getattr(request, _ATTRIBUTE)
    return plan
