from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "socialplan.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from socialplan.plan.services import plan_content_loaded

        from .content import load_indicators_with_plan

        # The plan app knows nothing of monitoring: `load_plan <name>` announces
        # that a plan's content was loaded, and the indicator set of the same
        # name follows in the same transaction.
        plan_content_loaded.connect(load_indicators_with_plan, dispatch_uid="monitoring-load-indicators")
