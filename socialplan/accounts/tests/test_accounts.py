"""Accounts: email sign-up with verification, throttled login, the administrator."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from socialplan.accounts.models import User

PASSWORD = "a-long-enough-Passw0rd"


@pytest.mark.django_db
def test_sign_up_sends_a_verification_email_and_login_waits_for_it() -> None:
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD, "privacy": "on"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    link = re.search(r"https?://[^\s]+/account/confirm-email/[^\s]+", mail.outbox[0].body)
    assert link is not None

    client.logout()
    client.post(reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # not verified yet

    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    client.post(reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(User.objects.get(email="ada@example.org").pk)


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures() -> None:
    user = User.objects.create_user(email="bob@example.org", password=PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "bob@example.org", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "bob@example.org", "password": PASSWORD})
    # The right password no longer opens the session: the pair is locked out.
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "bob@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in fresh.session


@pytest.mark.django_db
def test_administrator_password_is_generated_and_printed_once() -> None:
    first, second = StringIO(), StringIO()
    call_command("create_administrator", "--email", "office@example.org", stdout=first)
    call_command("create_administrator", "--email", "office@example.org", stdout=second)
    password = re.search(r"password: (\S+)", first.getvalue())
    assert password is not None and len(password.group(1)) >= 20
    assert password.group(1) not in second.getvalue()
    admin = User.objects.get(email="office@example.org")
    assert admin.is_superuser and admin.check_password(password.group(1))
    other = StringIO()
    call_command("create_administrator", "--email", "other@example.org", stdout=other)
    assert re.search(r"password: (\S+)", other.getvalue()).group(1) != password.group(1)


@pytest.mark.django_db
def test_header_offers_sign_in_then_back_office_and_sign_out(roles) -> None:
    client = Client()
    page = client.get("/").content.decode()
    assert '<a href="/account/login/">Accedi</a>' in page
    client.force_login(roles.coordinator)
    page = client.get("/").content.decode()
    assert '<a href="/admin/">Area riservata</a>' in page
    assert '<a href="/account/logout/">Esci</a>' in page
    client.force_login(roles.participant)
    page = client.get("/").content.decode()
    assert "/admin/" not in page and "/account/logout/" in page
