from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "socialplan.opinions"
    label = "opinions"
    verbose_name = _("Opinions")

    def ready(self) -> None:
        from socialplan.participation.contributions import ContributionKind, register
        from socialplan.participation.signals import contributions_changed

        from . import counters, rules  # noqa: F401 - rules registers the permissions

        contributions_changed.connect(counters.on_contributions_changed, dispatch_uid="opinions-counters")

        register(
            ContributionKind(
                model="opinions.Statement",
                label=_("opinion statement"),
                label_plural=_("opinion statements"),
                process_lookup="conversation__process",
                text_field="text",
                public=Q(status="accepted"),
            )
        )
        # A vote has no text of its own: its value stands for it in exports; the voter is `participant`.
        register(
            ContributionKind(
                model="opinions.Vote",
                label=_("opinion vote"),
                label_plural=_("opinion votes"),
                process_lookup="statement__conversation__process",
                text_field="value",
                person_field="participant",
                taggable=False,
            )
        )
