from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "socialplan.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check)
