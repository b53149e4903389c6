"""Recount the counts kept on the participation rows (supports, votes, voters, visible contributions) from the rows.

The counts are kept on write; this is for data written around the services
(a bulk load, a restore, an edit in the database) and changes nothing when
they already agree.
"""

from typing import Any

from django.core.management.base import BaseCommand

from socialplan.consultations import counters as consultation_counters
from socialplan.consultations.models import Consultation
from socialplan.opinions import counters as opinion_counters
from socialplan.opinions.models import Conversation
from socialplan.participation.models import Process
from socialplan.proposals import counters as proposal_counters


class Command(BaseCommand):
    help = "Recount supports, votes, voters and visible contributions of every consultation, conversation and process."

    def handle(self, *args: Any, **options: Any) -> None:
        consultations = list(Consultation.objects.values_list("pk", flat=True))
        conversations = list(Conversation.objects.values_list("pk", flat=True))
        processes = list(Process.objects.values_list("pk", flat=True))
        for pk in consultations:
            consultation_counters.recount(pk)
        for pk in conversations:
            opinion_counters.recount(pk)
        for pk in processes:
            proposal_counters.recount(pk)
        self.stdout.write(
            f"Recounted {len(consultations)} consultations, {len(conversations)} conversations "
            f"and the proposals of {len(processes)} processes."
        )
