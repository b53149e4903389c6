from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "socialplan.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from socialplan.participation.contributions import ContributionKind, register

        from . import rules  # noqa: F401 - registers the permissions

        register(
            ContributionKind(
                model="engagement.Response",
                label=_("survey response"),
                label_plural=_("survey responses"),
                process_lookup="survey__process",
                text_field="text",
            )
        )
        # The minutes are the meeting's trace; the organizer (`author`) wrote them.
        register(
            ContributionKind(
                model="engagement.Meeting",
                label=_("meeting"),
                label_plural=_("meetings"),
                process_lookup="process",
                text_field="minutes",
                public=Q(minutes_published=True),
                by_participants=False,
            )
        )
        # Only the summary: the confidential notes never leave the plan office's pages.
        register(
            ContributionKind(
                model="engagement.Interview",
                label=_("interview"),
                label_plural=_("interviews"),
                process_lookup="process",
                text_field="summary",
                public=Q(summary_public=True),
                by_participants=False,
            )
        )
