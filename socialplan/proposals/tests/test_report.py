"""The consultation report: exact numbers on a known process, texts grouped by theme, the PDF."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from socialplan.participation import report
from socialplan.participation.models import Opening, ParticipantProfile, Phase
from socialplan.plan.models import Theme
from socialplan.proposals import services
from socialplan.proposals.models import Proposal

from .conftest import make_participant, make_process


@pytest.fixture
def consultation(setting):
    """Two phases (20 to 11 days ago, 10 days ago to today); five visible proposals, one hidden.

    p1 u1 (cooperative, 25-34) 15 days ago, social procurement
    p2 u1                      5 days ago, inclusion
    p3 u2 (citizen, no age)    3 days ago, no theme
    p4 u3 (nothing told)       2 days ago, social procurement and inclusion (by its element keys)
    p5 u2                      1 day ago, hidden: not counted
    p6 former participant      1 day ago, no theme
    """
    process = make_process(setting.plan, slug="rapporto", openings=[Opening.PROPOSALS], start=-20, end=-11)
    today = timezone.localdate()
    Phase.objects.create(
        process=process, code="second", order=1, title_it="Seconda fase", title_en="Second phase",
        start_date=today - timedelta(days=10), end_date=today, openings=[Opening.PROPOSALS],
    )  # fmt: skip
    u1 = make_participant("u1@example.org", age_band="25-34", organization_type="social-cooperative")
    u2 = make_participant("u2@example.org", organization_type="citizen")
    u3 = make_participant("u3@example.org")
    themes = {theme.code: theme for theme in Theme.objects.filter(plan=setting.plan)}
    now = timezone.now()

    def add(author, days_ago, *, theme=None, keys=(), hidden=False, status=Proposal.Status.EVALUATING, reason=""):
        return Proposal.objects.create(
            process=process, author=author, created_at=now - timedelta(days=days_ago), title=f"P {days_ago}",
            body=f"Proposta di {days_ago} giorni fa", theme=themes.get(theme), element_keys=list(keys),
            hidden_at=now if hidden else None, status=status, status_reason=reason,
        )  # fmt: skip

    add(u1, 15, theme="social-procurement", status=Proposal.Status.REJECTED, reason="Fuori dal Piano.")
    add(u1, 5, theme="inclusion")
    add(u2, 3)
    add(u3, 2, keys=["social-procurement/sp-o1", "inclusion"])
    add(u2, 1, hidden=True)
    add(None, 1)
    return process


def rows(found):
    return {row.label: (row.contributions, row.participants) for row in found}


def test_the_report_counts_by_phase_theme_organization_type_and_age_band(consultation):
    with translation.override("en"):
        found = report.consultation_report(process=consultation)
    assert (found.total_contributions, found.participants) == (5, 3)
    assert rows(found.by_phase) == {"Listening phase": (1, 1), "Second phase": (4, 3)}
    procurement, inclusion = (Theme.objects.get(code=code).title_en for code in ("social-procurement", "inclusion"))
    assert rows(found.by_theme) == {procurement: (2, 2), inclusion: (2, 2), "no theme": (2, 1)}
    assert rows(found.by_organization_type) == {
        str(ParticipantProfile.OrganizationType.SOCIAL_COOPERATIVE.label): (2, 1),
        str(ParticipantProfile.OrganizationType.CITIZEN.label): (1, 1),
        "not stated": (2, 1),
    }
    assert rows(found.by_age_band) == {"25 to 34": (2, 1), "not stated": (3, 2)}
    assert rows(found.by_kind) == {"proposals": (5, 3)}
    rejected = next(response for response in found.responses if response.status == "rejected")
    assert (rejected.title, rejected.reason) == ("P 15", "Fuori dal Piano.")
    assert len(found.responses) == 5


def test_near_duplicate_texts_fall_in_the_same_group():
    texts = [
        "Clausole sociali negli appalti pubblici di servizi",
        "Connessione in fibra ottica per le valli alpine",
        "Tirocini retribuiti per giovani con disabilità",
        "Inserire clausole sociali in tutti gli appalti pubblici",
        "Fibra ottica e connessione veloce nelle valli",
        "Tirocini per giovani disabili nelle cooperative",
        "",
        "Appalti pubblici con clausole sociali obbligatorie",
        "Portare la connessione in fibra nelle valli montane",
        "Più tirocini retribuiti per i giovani disabili",
    ]
    groups = report.group_texts(texts)
    assert sorted(sorted(group.members) for group in groups) == [[0, 3, 7], [1, 4, 8], [2, 5, 9]]
    procurement = next(group for group in groups if 0 in group.members)
    assert {"clausole", "appalti"} <= set(procurement.terms)
    assert procurement.size == 3 and len(procurement.examples) == 2
    assert all(example in texts for example in procurement.examples)
    assert report.group_texts(texts) == groups  # the same texts, the same groups


def test_the_pdf_builds(consultation):
    content = report.build_pdf(process=consultation, language="it")
    assert content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_report_pages_answer_in_both_languages(client, consultation, language):
    with translation.override(language):
        page_url = reverse("participation:consultation_report", args=[consultation.slug])
        pdf_url = reverse("participation:consultation_report_pdf", args=[consultation.slug])
        process_url = consultation.get_absolute_url()
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Fuori dal Piano." in page.content.decode()
    assert "Proposta di 5 giorni fa" in page.content.decode()
    assert page_url in client.get(process_url).content.decode()
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_proposal_linked_to_a_change_shows_its_outcome_in_the_report(setting, roles):
    from socialplan.participation import traceability
    from socialplan.plan import services as plan_services
    from socialplan.plan.models import Action, ChangelogEntry, Objective

    plan_services.publish_first_version(plan=setting.plan)
    objective = Objective.objects.get(theme__plan=setting.plan, code="sp-o1")
    Action.objects.create(objective=objective, code="sp-new", order=99, title_it="Nuova", title_en="New one")
    plan_services.publish_version(plan=setting.plan, user=None, summary_it="Revisione")
    entry = ChangelogEntry.objects.get(element_key="social-procurement/sp-o1/sp-new")
    proposal = services.submit_proposal(process=setting.process, author=setting.author, title="T", body="B")
    traceability.link_contribution(entry=entry, contribution=proposal, by_user=roles.editor)
    with translation.override("en"):
        [response] = report.consultation_report(process=setting.process).responses
    assert [outcome.text for outcome in response.outcomes] == ["Accepted in version 2: action “New one” added"]
