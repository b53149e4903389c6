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
        self._refresh_public_pages()

    def _refresh_public_pages(self) -> None:
        """Public pages show indicators and approved values: their changes replace the content version.

        Drafts, submissions and returns are not public, so an update replaces
        it only when it is saved approved (or an approved one is deleted).
        """
        from django.db.models.signals import post_delete, post_save

        from socialplan.core.cache import bump_content_version, watch_public_content

        from .models import (
            Category,
            Dimension,
            DimensionTarget,
            Indicator,
            IndicatorDimension,
            Period,
            QualitativeLevel,
            Update,
        )

        watch_public_content(
            [Indicator, Period, DimensionTarget, QualitativeLevel, Dimension, Category, IndicatorDimension]
        )

        def approved_update_changed(instance: Update, **signal: object) -> None:
            if instance.status == Update.Status.APPROVED:
                bump_content_version()

        post_save.connect(approved_update_changed, sender=Update, weak=False, dispatch_uid="cache-approved-update")
        post_delete.connect(
            approved_update_changed, sender=Update, weak=False, dispatch_uid="cache-approved-update-del"
        )
