"""manage.py compute_opinion_groups [--slug SLUG]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.opinions.groups import recompute
from socialplan.opinions.models import Conversation


class Command(BaseCommand):
    help = (
        "Compute the opinion groups of the conversations with votes not yet counted (run it every few minutes: "
        "votes queue a recompute at most once a minute); --slug computes the conversations with that identifier."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", help="the identifier of a conversation")

    def handle(self, *args: Any, slug: str | None, **options: Any) -> None:
        conversations = (
            Conversation.objects.filter(slug=slug) if slug else Conversation.objects.filter(groups_dirty=True)
        )
        ids = list(conversations.order_by("pk").values_list("pk", flat=True))
        if slug and not ids:
            raise CommandError(f"No conversation with identifier {slug!r}.")
        for pk in ids:
            outcome = recompute(pk)
            if outcome["computed"]:
                self.stdout.write(
                    self.style.SUCCESS(f"Conversation {pk}: {outcome['groups']} groups of {outcome['participants']}.")
                )
            else:
                self.stdout.write(f"Conversation {pk}: no groups. {outcome['reason']}")
        if not ids:
            self.stdout.write("No conversation to compute.")
