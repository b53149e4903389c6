"""From a proposal to the plan change it led to, and back: the outcome line and the plan element's contributions."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.participation import traceability
from socialplan.plan import services as plan_services
from socialplan.plan.models import Action, ChangelogEntry, ChangelogSource, Objective
from socialplan.proposals import services
from socialplan.proposals.models import Proposal


def url(name: str, *args: object, language: str = "it", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, args=args, kwargs=kwargs or None)


@pytest.fixture
def added_action(setting):
    """Version 2 of the plan adds an action to the first social procurement objective."""
    plan_services.publish_first_version(plan=setting.plan)
    objective = Objective.objects.get(theme__plan=setting.plan, code="sp-o1")
    action = Action.objects.create(
        objective=objective, code="sp-new", order=99, title_it="Clausole sociali ovunque", title_en="Social clauses"
    )
    version = plan_services.publish_version(plan=setting.plan, user=None, summary_it="Revisione 2026")
    entry = ChangelogEntry.objects.get(version=version, element_key="social-procurement/sp-o1/sp-new")
    return action, entry


@pytest.fixture
def proposal(setting):
    return services.submit_proposal(
        process=setting.process, author=setting.author, title="Clausole sociali", body="In tutti gli appalti."
    )


def test_a_linked_proposal_shows_its_outcome_and_the_action_lists_it(client, setting, proposal, added_action, roles):
    action, entry = added_action
    traceability.link_contribution(entry=entry, contribution=proposal, by_user=roles.editor)
    with translation.override("en"):
        [outcome] = traceability.outcomes_of(proposal)
    assert outcome.version_number == 2
    assert outcome.text == "Accepted in version 2: action “Social clauses” added"
    assert outcome.url == url("portal:version", number=2, language="en")
    page = client.get(url("proposals:detail", proposal.pk, language="en")).content.decode()
    assert "Accepted in version 2: action “Social clauses” added" in page
    assert 'href="/en/piano/versioni/2/"' in page
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert "In tutti gli appalti." in action_page and proposal.get_absolute_url() in action_page
    # ... and its objective's and theme's pages too: the change is below them.
    objective_page = client.get(action.objective.get_absolute_url()).content.decode()
    assert proposal.get_absolute_url() in objective_page


def test_linking_twice_keeps_one_link_and_unlinking_removes_it(client, setting, proposal, added_action, roles):
    action, entry = added_action
    first = traceability.link_contribution(entry=entry, contribution=proposal, by_user=roles.editor)
    second = traceability.link_contribution(entry=entry, contribution=proposal, by_user=roles.editor)
    assert first.pk == second.pk
    assert ChangelogSource.objects.filter(entry=entry).count() == 1
    assert traceability.unlink(entry=entry, contribution=proposal, by_user=roles.editor) == 1
    assert traceability.outcomes_of(proposal) == []
    assert proposal.get_absolute_url() not in client.get(action.get_absolute_url()).content.decode()
    assert "Accepted in version" not in client.get(proposal.get_absolute_url()).content.decode()


def test_contributions_tagged_with_an_element_are_behind_it_and_hidden_ones_are_not(setting, proposal):
    tagged = Proposal.objects.create(
        process=setting.process, author=setting.other, title="T", body="Sul primo obiettivo",
        element_keys=["social-procurement/sp-o1"],
    )  # fmt: skip
    hidden = Proposal.objects.create(
        process=setting.process, author=setting.other, title="H", body="Nascosta",
        element_keys=["social-procurement/sp-o1"], hidden_at=timezone.now(),
    )  # fmt: skip
    elsewhere = Proposal.objects.create(
        process=setting.process, author=setting.other, title="E", body="Altrove", element_keys=["social-procurement-x"]
    )
    behind_theme = traceability.contributions_behind("social-procurement")
    assert tagged in behind_theme and hidden not in behind_theme and elsewhere not in behind_theme
    assert traceability.contributions_behind("social-procurement/sp-o1") == [tagged]
    assert traceability.contributions_behind("social-procurement/sp-o2") == []


def test_the_office_links_from_the_proposal_page(client, setting, proposal, added_action, roles):
    _action, entry = added_action
    client.force_login(roles.editor)
    detail = client.get(proposal.get_absolute_url()).content.decode()
    link_page = f"{url('participation:traceability')}?tipo=proposals.proposal&amp;id={proposal.pk}"
    assert link_page in detail
    page = client.get(url("participation:traceability"), {"tipo": "proposals.proposal", "id": proposal.pk})
    assert "Clausole sociali ovunque" in page.content.decode()
    response = client.post(
        url("participation:traceability"),
        {"tipo": "proposals.proposal", "id": proposal.pk, "action": "link", "entry": entry.pk},
    )
    assert response.status_code == 302
    assert ChangelogSource.objects.filter(entry=entry, object_id=proposal.pk).count() == 1
    client.post(
        url("participation:traceability"),
        {"tipo": "proposals.proposal", "id": proposal.pk, "action": "unlink", "entry": entry.pk},
    )
    assert not ChangelogSource.objects.filter(entry=entry).exists()


@pytest.mark.parametrize("who", ["participant", "coordinator", "anonymous"])
def test_only_the_plan_office_links(client, setting, proposal, added_action, roles, who):
    _action, entry = added_action
    user = getattr(roles, who)
    if user is not None:
        client.force_login(user)
    response = client.post(
        url("participation:traceability"),
        {"tipo": "proposals.proposal", "id": proposal.pk, "action": "link", "entry": entry.pk},
    )
    assert response.status_code in (302, 403)
    if user is None:
        assert "/account/login/" in response["Location"]
    assert not ChangelogSource.objects.exists()
    assert "Link to a plan change" not in client.get(proposal.get_absolute_url()).content.decode()


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "trace-default"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "trace-pages"},
    }
)
def test_a_new_link_refreshes_the_cached_action_page(client, setting, proposal, added_action, roles):
    action, entry = added_action
    assert proposal.get_absolute_url() not in client.get(action.get_absolute_url()).content.decode()
    traceability.link_contribution(entry=entry, contribution=proposal, by_user=roles.editor)
    assert proposal.get_absolute_url() in client.get(action.get_absolute_url()).content.decode()
    traceability.unlink(entry=entry, contribution=proposal, by_user=roles.editor)
    assert proposal.get_absolute_url() not in client.get(action.get_absolute_url()).content.decode()
    caches["pages"].clear()


def test_the_action_page_queries_do_not_grow_with_the_contributions_behind_it(client, setting, added_action, roles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action, entry = added_action

    def add(count):
        for number in range(count):
            proposal = Proposal.objects.create(
                process=setting.process, author=setting.other, title=f"P{number}", body=f"Testo {number}",
                element_keys=[entry.element_key],
            )  # fmt: skip
            traceability.link_contribution(entry=entry, contribution=proposal, by_user=roles.editor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(action.get_absolute_url()).status_code == 200
        return len(captured)

    add(2)
    queries()  # the first request fills the per-process caches (content types, permissions)
    few = queries()
    add(20)
    assert queries() == few
