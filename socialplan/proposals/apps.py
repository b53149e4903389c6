from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "socialplan.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from socialplan.core.cache import watch_public_content
        from socialplan.participation.contributions import ContributionKind, register

        from . import rules  # noqa: F401 - registers the permissions
        from .models import Proposal

        register(
            ContributionKind(
                model="proposals.Proposal",
                label=_("proposal"),
                label_plural=_("proposals"),
                process_lookup="process",
                text_field="body",
            )
        )
        # The plan's pages list the proposals behind each element: a new, answered or hidden one changes them.
        watch_public_content([Proposal])
