"""Rate limits: per user, and per address at five times the limit for signed-in participants."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings

from socialplan.accounts.models import User
from socialplan.participation import ratelimit


def request_from(address: str, user=None):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = user or AnonymousUser()
    return request


@override_settings(PARTICIPATION_RATE_LIMITS={"comment": (3, 600)})
def test_an_anonymous_address_is_stopped_past_the_limit(db):
    for _ in range(3):
        ratelimit.check(request_from("10.0.0.1"), "comment")
    with pytest.raises(ratelimit.RateLimited, match="wait 10 minutes"):
        ratelimit.check(request_from("10.0.0.1"), "comment")
    ratelimit.check(request_from("10.0.0.2"), "comment")  # another address is not affected


@override_settings(PARTICIPATION_RATE_LIMITS={"comment": (2, 600)})
def test_participants_sharing_an_address_are_limited_each(db):
    users = [User.objects.create_user(email=f"p{number}@example.org") for number in range(6)]
    for user in users[:5]:
        for _ in range(2):
            ratelimit.check(request_from("10.0.0.9", user), "comment")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(request_from("10.0.0.9", users[0]), "comment")  # the user's own limit
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(request_from("10.0.0.9", users[5]), "comment")  # the address's, 5 x 2


def test_the_address_is_kept_only_as_a_keyed_hash(db):
    digest = ratelimit.address_hash(request_from("192.0.2.7"))
    assert len(digest) == 64 and "192.0.2.7" not in digest
    assert digest == ratelimit.address_hash(request_from("192.0.2.7"))
    assert digest != ratelimit.address_hash(request_from("192.0.2.8"))
