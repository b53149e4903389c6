"""Reading processes for the public pages."""

from django.db.models import Prefetch, QuerySet

from socialplan.plan.models import Plan

from .models import Phase, Process


def processes_of(*, plan: Plan) -> QuerySet[Process]:
    phases = Phase.objects.order_by("order", "start_date", "pk")
    return plan.processes.filter(published=True).prefetch_related(Prefetch("phases", queryset=phases))
