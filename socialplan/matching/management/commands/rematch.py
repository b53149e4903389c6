"""manage.py rematch [--opportunity ID]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.matching.tasks import rematch_all, rematch_opportunity
from socialplan.opportunities.models import Opportunity


class Command(BaseCommand):
    help = (
        "Re-rank the organizations of every open opportunity with the current matching algorithm and store the "
        "best of each (run nightly; changes re-rank by themselves); --opportunity re-ranks one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--opportunity", type=int, help="the id of one opportunity")

    def handle(self, *args: Any, opportunity: int | None, **options: Any) -> None:
        if opportunity and not Opportunity.objects.filter(pk=opportunity).exists():
            raise CommandError(f"No opportunity with id {opportunity}.")
        result = rematch_opportunity.enqueue(opportunity) if opportunity else rematch_all.enqueue()
        if result.is_finished:
            self.stdout.write(self.style.SUCCESS(f"Done: {result.return_value}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Enqueued as task {result.id}."))
