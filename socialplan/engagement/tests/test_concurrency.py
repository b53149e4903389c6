"""The last seats of a meeting, asked for at the same moment: never more registrations than seats.

Real threads with their own connections; `race` (ecosystem's concurrency tests) retries the
SQLite test database's "table is locked", as a database file's busy timeout waits in production.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.ecosystem.tests.test_selfservice_concurrency import race
from socialplan.engagement import services
from socialplan.engagement.models import Meeting, Registration
from socialplan.participation.models import Process
from socialplan.plan.models import Plan


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_never_exceed_the_capacity():
    plan = Plan.objects.create(slug="prova", title="Piano di prova")
    process = Process.objects.create(plan=plan, slug="prova", title="Prova")
    start = timezone.now() + timedelta(days=3)
    meeting = Meeting.objects.create(
        process=process, title="Ultimi posti", starts_at=start, ends_at=start, place="Torino", capacity=3
    )
    users = [User.objects.create_user(email=f"p{n}@example.org", password="x") for n in range(8)]
    outcomes: list[str] = []

    def take_seat(user: User):
        def call() -> None:
            try:
                services.register(meeting=meeting, user=user)
                outcomes.append("seat")
            except services.MeetingFull:
                outcomes.append("full")

        return call

    race([take_seat(user) for user in users])
    assert sorted(outcomes) == ["full"] * 5 + ["seat"] * 3
    assert Registration.objects.filter(meeting=meeting, cancelled_at__isnull=True).count() == 3
