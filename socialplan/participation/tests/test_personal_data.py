"""Consent at signup, the privacy notice, the personal area, the data export and account deletion."""

import json

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership, Organization
from socialplan.participation import contributions, notifications, personal_data
from socialplan.participation.models import Follow, Notification, ParticipantProfile, Report
from socialplan.proposals.models import Proposal, ProposalSupport

from .people import people  # noqa: F401

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


SIGNUP = {"email": "new@example.org", "password1": "Un-lungo-segreto-42", "password2": "Un-lungo-segreto-42"}


def test_signup_requires_consent_not_pre_ticked(torino):
    page = Client().get(reverse("account_signup")).content.decode()
    assert 'name="privacy"' in page
    assert f'href="{reverse("participation:privacy")}"' in page
    checkbox = page[page.index('name="privacy"') - 200 : page.index('name="privacy"') + 200]
    assert "checked" not in checkbox
    response = Client().post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()


def test_signup_records_consent_and_statistics(torino):
    data = {**SIGNUP, "privacy": "on", "age_band": "25-34", "organization_type": "social-cooperative"}
    response = Client().post(reverse("account_signup"), data)
    assert response.status_code == 302
    profile = ParticipantProfile.objects.get(user__email="new@example.org")
    assert profile.privacy_accepted_at is not None
    assert profile.privacy_version == personal_data.privacy_notice_version()
    assert (profile.age_band, profile.organization_type) == ("25-34", "social-cooperative")


@pytest.mark.parametrize(("language", "words"), [("it", "I tuoi diritti"), ("en", "Your rights")])
def test_the_privacy_notice_in_both_languages(torino, language, words):
    prefix = "" if language == "it" else "/en"
    html = Client().get(f"{prefix}/partecipa/privacy/").content.decode()
    assert words in html
    for article in ("art. 15", "art. 17", "art. 20", "art. 77"):
        assert article in html


def test_the_personal_area_edits_name_statistics_and_emails(people):  # noqa: F811
    client = client_for(people.author)
    assert Client().get(reverse("participation:profile")).status_code == 302
    assert client.get(reverse("participation:profile")).status_code == 200
    response = client.post(
        reverse("participation:profile"),
        {"display_name": "Anna R.", "age_band": "", "organization_type": "citizen", "digest": "weekly"},
    )
    assert response.status_code == 302
    profile = ParticipantProfile.objects.get(user=people.author)
    assert (profile.display_name, profile.age_band, profile.organization_type, profile.digest) == (
        "Anna R.",
        "",
        "citizen",
        "weekly",
    )
    bad = client.post(reverse("participation:profile"), {"display_name": "x" * 81, "digest": "hourly"})
    assert bad.status_code == 400


def test_the_export_holds_everything_about_the_person(people, roles):  # noqa: F811
    organization = Organization.objects.get(legal_name="Cooperativa Esempio")
    Membership.objects.create(user=people.author, organization=organization)
    notifications.follow(people.author, people.process)
    notifications.notify_user(people.author, subject_it="Ciao", subject_en="Hello")
    Proposal.objects.filter(pk=people.other_proposal.pk).update(hidden_at=timezone.now(), hidden_reason="Fuori tema")
    response = client_for(people.author).get(reverse("participation:profile_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "author@example.org"
    assert data["memberships"][0]["organization"] == "Cooperativa Esempio"
    assert data["follows"][0]["id"] == people.process.pk
    assert data["notifications"][0]["subject_en"] == "Hello"
    by_id = {item["id"]: item for item in data["contributions"] if item["kind"] == "proposals.proposal"}
    assert set(by_id) == {people.proposal.pk, people.other_proposal.pk}
    assert by_id[people.proposal.pk]["text"] == "Piantiamo alberi <b>nei cortili</b>."
    assert by_id[people.proposal.pk]["process"]["slug"] == "revision-a"
    assert by_id[people.proposal.pk]["hidden"] is False
    assert (by_id[people.other_proposal.pk]["hidden"], by_id[people.other_proposal.pk]["hidden_reason"]) == (
        True,
        "Fuori tema",
    )
    assert "author@example.org" not in json.dumps(
        client_for(people.reporter).get(reverse("participation:profile_data")).json()
    )


def test_every_registered_kind_keeps_its_rows_when_the_person_goes():
    """Erasure anonymises: the field pointing at the person must be nullable and SET_NULL."""
    for kind in contributions.kinds():
        field = personal_data.person_field(kind)
        assert field.null, kind.model
        assert field.remote_field.on_delete is models.SET_NULL, kind.model


def test_deleting_the_account_anonymises_and_counts_nothing_twice(people, roles):  # noqa: F811
    ProposalSupport.objects.create(proposal=people.proposal, user=people.author)
    ProposalSupport.objects.create(proposal=people.proposal, user=people.reporter)
    notifications.follow(people.author, people.proposal)
    notifications.notify_user(people.author, subject_it="Ciao", subject_en="Hello")
    ParticipantProfile.objects.create(user=people.author, display_name="Anna")
    Report.objects.create(content_type_id=1, object_id=1, reporter=people.author, reason="spam")
    counts = lambda: (Proposal.objects.count(), ProposalSupport.objects.count(), Report.objects.count())  # noqa: E731
    before = counts()
    client = client_for(people.author)
    page = client.get(reverse("participation:delete_account"))
    assert page.status_code == 200
    wrong = client.post(reverse("participation:delete_account"), {"confirmation": "not-it"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=people.author.pk).exists()
    response = client.post(reverse("participation:delete_account"), {"confirmation": "pw-author-123"})
    assert response["Location"] == reverse("participation:account_deleted")
    assert counts() == before
    assert not User.objects.filter(email="author@example.org").exists()
    proposal = Proposal.objects.get(pk=people.proposal.pk)
    assert proposal.author is None and proposal.author_name == "Former participant"
    assert proposal.body == "Piantiamo alberi <b>nei cortili</b>."
    assert ProposalSupport.objects.filter(user__isnull=True).count() == 1
    assert not Follow.objects.exists() and not Notification.objects.exists()
    assert not ParticipantProfile.objects.exists()
    assert client.get(reverse("participation:profile")).status_code == 302  # logged out
    assert client.get(reverse("participation:account_deleted")).status_code == 200


def test_an_account_without_password_is_deleted_by_typing_the_email(people, roles):  # noqa: F811
    people.reporter.set_unusable_password()
    people.reporter.save()
    Membership.objects.create(user=people.reporter, organization=Organization.objects.get())
    client = client_for(people.reporter)
    response = client.post(reverse("participation:delete_account"), {"confirmation": " Reporter@Example.org "})
    assert response.status_code == 302
    assert not User.objects.filter(email="reporter@example.org").exists()
    assert list(Membership.objects.values_list("user__email", flat=True)) == ["member@example.org"]


@pytest.mark.parametrize(
    ("language", "controller_words", "rights_words"),
    [
        ("it", "Titolare del trattamento è Ente di prova", "scrivi a"),
        ("en", "The controller is Ente di prova", "write to"),
    ],
)
def test_the_privacy_notice_names_the_controller_and_contacts_when_set(
    torino, settings, language, controller_words, rights_words
):
    settings.PRIVACY_CONTROLLER = "Ente di prova, via Roma 1, 10100 Torino"
    settings.PRIVACY_CONTACT = "privacy@ente.example.org"
    settings.PRIVACY_DPO_CONTACT = "https://ente.example.org/dpo"
    prefix = "" if language == "it" else "/en"
    html = Client().get(f"{prefix}/partecipa/privacy/").content.decode()
    assert f"{controller_words}, via Roma 1, 10100 Torino." in html
    assert f'{rights_words} <a href="mailto:privacy@ente.example.org">privacy@ente.example.org</a>' in html
    assert '<a href="https://ente.example.org/dpo">https://ente.example.org/dpo</a>' in html
    assert "l'ente che pubblica il piano" not in html and "the public body that publishes" not in html


def test_the_deploy_check_warns_until_the_controller_is_named(settings):
    from django.core.checks import run_checks

    settings.PRIVACY_CONTROLLER, settings.PRIVACY_CONTACT = "", ""
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "socialplan.W001" in ids
    settings.PRIVACY_CONTROLLER, settings.PRIVACY_CONTACT = "Ente di prova", "privacy@ente.example.org"
    assert "socialplan.W001" not in [message.id for message in run_checks(include_deployment_checks=True)]
