from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "socialplan.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from socialplan.participation.contributions import ContributionKind, register
        from socialplan.participation.signals import contributions_changed

        from . import counters, rules  # noqa: F401 - rules registers the permissions

        contributions_changed.connect(counters.on_contributions_changed, dispatch_uid="consultations-counters")

        register(
            ContributionKind(
                model="consultations.Comment",
                label=_("comment"),
                label_plural=_("comments"),
                process_lookup="consultation__process",
                text_field="body",
            )
        )
        register(
            ContributionKind(
                model="consultations.Annotation",
                label=_("annotation"),
                label_plural=_("annotations"),
                process_lookup="section__consultation__process",
                text_field="body",
            )
        )
        register(
            ContributionKind(
                model="consultations.AnonymousAnswer",
                label=_("anonymous answer"),
                label_plural=_("anonymous answers"),
                process_lookup="consultation__process",
                text_field="body",
            )
        )
