"""Background tasks of the matcher (django-tasks): re-rank on change, the nightly re-rank and the alerts."""

from django_tasks import task

from socialplan.ecosystem.models import Organization
from socialplan.opportunities.models import Opportunity

from . import store


@task()
def rematch_opportunity(opportunity_id: int) -> dict[str, int]:
    opportunity = store.prefetched(Opportunity.objects.filter(pk=opportunity_id)).first()
    if opportunity is None:
        return {"entered": 0}
    entered = store.rematch_opportunity(opportunity)
    return {"entered": len(entered)}


@task()
def rematch_organization(organization_id: int) -> dict[str, int]:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return {"opportunities": 0}
    return {"opportunities": store.rematch_organization(organization)}


@task()
def rematch_all() -> dict[str, int]:
    return store.rematch_all()


@task()
def send_match_alerts() -> dict[str, int]:
    from .alerts import send_alerts

    return send_alerts()
