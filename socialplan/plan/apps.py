from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "socialplan.plan"
    label = "plan"
    verbose_name = _("Plan")

    def ready(self) -> None:
        from socialplan.core.cache import watch_public_content

        watch_public_content(model for model in self.get_models() if not model.__name__.startswith("Historical"))
