"""The reporter's write from the personal area: save what the form holds and, when asked, send it
for review, in one transaction, so that a refused submission leaves nothing half saved.

The rules are the services' (services.py); this only chains them as the page's two buttons do.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from socialplan.ecosystem.models import Organization

from .models import Period, Update
from .services import Report, create_draft, edit_draft, resubmit_update, submit_update


@transaction.atomic
def save_report(
    *,
    period: Period,
    reporter: Any,
    organization: Organization | None,
    update: Update | None,
    report: Report,
    evidence: File | None,
    send: bool,
) -> Update:
    """Create or edit the draft of `period` (in person, or for `organization`); with `send`, submit it,
    or resubmit it when it was returned for correction."""
    if update is None:
        # The services find a period by a day it covers: its end, or today while it is running
        # (a period yet to start gives its first day, which the services refuse as a future date).
        on = min(period.end, max(period.start, timezone.localdate()))
        saved = create_draft(
            indicator=period.indicator,
            reporter=reporter,
            on=on,
            report=report,
            evidence=evidence,
            organization=organization,
        )
    else:
        saved = edit_draft(update=update, reporter=reporter, report=report, evidence=evidence)
    if not send:
        return saved
    if saved.status == Update.Status.RETURNED:
        return resubmit_update(update=saved, reporter=reporter)
    return submit_update(update=saved, reporter=reporter)
