"""Follows, notifications and their emails, with the one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.accounts.models import User
from socialplan.participation import notifications
from socialplan.participation.models import Follow, Notification, ParticipantProfile

from .people import people  # noqa: F401

pytestmark = pytest.mark.django_db

ELEMENT = "social-procurement/sp-o1"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def follow_post(client, target=None, element_key="", action="follow"):
    data = {"action": action, "element_key": element_key, "next": "/partecipa/"}
    if target is not None:
        data["content_type"] = ContentType.objects.get_for_model(target).pk
        data["object_id"] = target.pk
    return client.post(reverse("participation:follow"), data)


def test_following_a_process_an_element_and_a_contribution(people):  # noqa: F811
    client = client_for(people.reporter)
    assert follow_post(client, people.process).status_code == 302
    assert follow_post(client, element_key=ELEMENT).status_code == 302
    assert follow_post(client, people.proposal)["Location"] == "/partecipa/"
    follow_post(client, people.proposal)  # twice: still one follow
    assert Follow.objects.filter(user=people.reporter).count() == 3
    follow_post(client, people.proposal, action="unfollow")
    follows = Follow.objects.filter(user=people.reporter)
    assert {(f.target, f.element_key) for f in follows} == {(people.process, ""), (None, ELEMENT)}


def test_only_processes_contributions_and_element_keys_can_be_followed(people):  # noqa: F811
    client = client_for(people.reporter)
    assert follow_post(client, people.author).status_code == 404
    assert follow_post(client, element_key="").status_code == 404
    assert follow_post(client, element_key="<script>").status_code == 404
    assert client.get(reverse("participation:follow")).status_code == 405
    assert Client().post(reverse("participation:follow"), {"element_key": ELEMENT}).status_code == 302
    assert not Follow.objects.exists()


def test_follow_never_redirects_to_another_site(people):  # noqa: F811
    client = client_for(people.reporter)
    response = client.post(reverse("participation:follow"), {"element_key": ELEMENT, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def _render_button(user, target):
    request = RequestFactory().get("/partecipa/revision-a/")
    request.user = user
    template = Template('{% include "participation/includes/follow_button.html" with object=target %}')
    with translation.override("en"):
        return template.render(Context({"request": request, "target": target, "csrf_token": "token"}))


def test_the_follow_button_shows_the_state_and_a_login_link_to_visitors(people):  # noqa: F811
    from django.contrib.auth.models import AnonymousUser

    assert "Follow" in _render_button(people.reporter, people.process)
    notifications.follow(people.reporter, people.process)
    html = _render_button(people.reporter, people.process)
    assert "Unfollow" in html and 'value="unfollow"' in html
    visitor = _render_button(AnonymousUser(), people.process)
    assert "<form" not in visitor and reverse("account_login") in visitor


def test_notify_followers_tells_each_user_once_and_not_the_actor(people):  # noqa: F811
    notifications.follow(people.reporter, people.process)
    notifications.follow(people.reporter, ELEMENT)
    notifications.follow(people.author, people.process)
    notifications.follow(people.moderator, ELEMENT)
    count = notifications.notify_followers(
        [people.process, ELEMENT],
        subject_it="Nuova proposta",
        subject_en="New proposal",
        url="/partecipa/revision-a/",
        exclude_user=people.author,
    )
    assert count == 2
    assert sorted(Notification.objects.values_list("user__email", flat=True)) == [
        "moderator-a@example.org",
        "reporter@example.org",
    ]


def _notify(user, subject="Aggiornamento"):
    return notifications.notify_user(
        user, subject_it=subject, subject_en="Update", body_it="Corpo", body_en="Body", url="/partecipa/"
    )


def test_daily_digest_is_one_email_with_one_click_unsubscribe(people):  # noqa: F811
    _notify(people.reporter, "Primo")
    _notify(people.reporter, "Secondo")
    result = notifications.send_notifications(frequency="daily")
    assert result["emails"] == 1 and result["notifications"] == 2
    (email,) = mail.outbox
    assert email.to == ["reporter@example.org"]
    assert "Primo" in email.body and "Secondo" in email.body and "Update" in email.body
    token = ParticipantProfile.objects.get(user=people.reporter).unsubscribe_token
    link = reverse("participation:unsubscribe", args=[token])
    assert email.extra_headers["List-Unsubscribe"].endswith(f"{link}>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert notifications.send_notifications(frequency="daily")["emails"] == 0
    assert len(mail.outbox) == 1


def test_each_frequency_sends_only_its_users(people):  # noqa: F811
    ParticipantProfile.objects.create(user=people.author, digest="weekly")
    ParticipantProfile.objects.create(user=people.moderator, digest="immediate")
    ParticipantProfile.objects.create(user=people.other_moderator, digest="never")
    for user in (people.author, people.moderator, people.other_moderator, people.reporter):
        _notify(user)
    assert notifications.send_notifications(frequency="immediate")["emails"] == 1
    assert [email.to for email in mail.outbox] == [["moderator-a@example.org"]]
    assert Notification.objects.get(user=people.other_moderator).sent_at is not None  # "never": marked, not mailed
    assert notifications.send_notifications(frequency="weekly")["emails"] == 1
    assert mail.outbox[-1].to == ["author@example.org"]
    assert notifications.send_notifications(frequency="daily")["emails"] == 1  # no profile: daily
    assert mail.outbox[-1].to == ["reporter@example.org"]
    assert len(mail.outbox) == 3


def test_the_command_sends_and_purges_old_notifications(people):  # noqa: F811
    old = _notify(people.reporter, "Vecchia")
    Notification.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=400))
    _notify(people.reporter, "Nuova")
    call_command("send_notifications", "--frequency", "daily")
    assert len(mail.outbox) == 1 and "Nuova" in mail.outbox[0].body and "Vecchia" not in mail.outbox[0].body
    assert list(Notification.objects.values_list("subject_it", flat=True)) == ["Nuova"]


def test_unsubscribe_page_changes_nothing_on_get_and_stops_emails_on_post(people):  # noqa: F811
    profile = notifications.profile_of(people.reporter)
    url = reverse("participation:unsubscribe", args=[profile.unsubscribe_token])
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert ParticipantProfile.objects.get(pk=profile.pk).digest == "daily"
    # The one-click POST of RFC 8058 comes from the mail client, without a session or CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ParticipantProfile.objects.get(pk=profile.pk).digest == "never"
    assert Client().get(reverse("participation:unsubscribe", args=["not-a-token"])).status_code == 404


def test_inactive_or_emailless_users_get_no_email_but_are_marked(people):  # noqa: F811
    ghost = User.objects.create_user(email="ghost@example.org", password="x", is_active=False)
    _notify(ghost)
    assert notifications.send_notifications(frequency="daily")["emails"] == 0
    assert not mail.outbox
    assert Notification.objects.get(user=ghost).sent_at is not None


def test_the_follow_button_follows_plan_elements_by_key_and_ignores_other_objects(people, torino):  # noqa: F811
    from socialplan.plan.models import Action

    action = Action.objects.select_related("objective__theme").first()
    key = f"{action.objective.theme.code}/{action.objective.code}/{action.code}"
    assert f'name="element_key" value="{key}"' in _render_button(people.reporter, action)
    notifications.follow(people.reporter, action)
    assert Follow.objects.get(user=people.reporter).element_key == key
    assert "Unfollow" in _render_button(people.reporter, action)
    assert _render_button(people.reporter, people.author).strip() == ""


def test_long_titles_fit_the_subject(people):  # noqa: F811
    notice = notifications.notify_user(people.reporter, subject_it="x" * 400, subject_en="y" * 400)
    assert len(notice.subject_it) == 255 and notice.subject_it.endswith("…")
