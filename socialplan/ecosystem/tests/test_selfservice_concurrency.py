"""Two decisions on the same request, or two reviews of the same change, arriving at the same
moment: the services lock the row (select_for_update), so exactly one applies and the other
finds the work done. Real threads with their own database connections.

On PostgreSQL the second transaction waits on the row lock. The SQLite test database lives in
memory with a shared cache, where a connection that finds the database busy fails at once
("database table is locked") instead of waiting as the busy timeout of a database file makes it
wait in production; `race` therefore retries such a call, as that timeout would."""

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from socialplan.ecosystem.models import Membership, Organization, ProfileChange
from socialplan.ecosystem.selfservice import decide_membership, review_profile_change, update_profile

from .people import make_people

ATTEMPTS = 4


def race(calls: list[Callable[[], object]]) -> tuple[int, list[Exception]]:
    """Run the calls in threads released together; return how many succeeded and the errors."""
    barrier = threading.Barrier(len(calls))
    succeeded: list[object] = []
    errors: list[Exception] = []

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            while True:
                try:
                    succeeded.append(call())
                except OperationalError as error:
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.005)
                    continue
                except ValidationError as error:
                    errors.append(error)
                break
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return len(succeeded), errors


@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_the_same_request_apply_once(roles) -> None:
    people = make_people(roles)
    deciders = [roles.editor, people.org_admin, roles.admin, roles.editor][:ATTEMPTS]
    request = people.request

    succeeded, errors = race(
        [lambda user=user: decide_membership(membership=request, user=user, approve=True) for user in deciders]
    )

    assert succeeded == 1
    assert len(errors) == ATTEMPTS - 1
    assert all(error.code == "already_decided" for error in errors)
    request.refresh_from_db()
    assert request.status == Membership.Status.APPROVED
    assert request.history.filter(history_change_reason="Request approved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviews_of_the_same_change_apply_once(roles) -> None:
    people = make_people(roles)
    change = update_profile(
        organization=people.organization, user=people.org_member, values={"disadvantaged_share": Decimal("50")}
    ).pending

    succeeded, errors = race(
        [
            lambda: review_profile_change(change=change, user=roles.editor, approve=True),
            lambda: review_profile_change(change=change, user=roles.admin, approve=False, note="No."),
        ]
    )

    assert succeeded == 1
    assert len(errors) == 1
    change.refresh_from_db()
    organization = Organization.objects.get(pk=people.organization.pk)
    if change.status == ProfileChange.Status.APPROVED:
        assert organization.disadvantaged_share == Decimal("50.00")
        assert organization.history.filter(history_change_reason__contains="approved").count() == 1
    else:
        assert organization.disadvantaged_share == Decimal("35.00")
        assert organization.verified_on is None
