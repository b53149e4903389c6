"""The consultation pages as a participant and a visitor use them: reading, writing, refusals."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import override_settings
from django.utils import timezone

from socialplan.consultations import forms, services
from socialplan.consultations.models import Annotation, AnonymousAnswer, Comment, CommentSupport, Consultation

from .conftest import ACTION, THEME, url


def page_of(client, consultation, **params) -> str:
    response = client.get(url("consultations:detail", consultation.pk), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_participant_comments_on_a_section_and_replies(client, consultation, anna, bruno):
    section = consultation.sections.get(element_key=ACTION)
    client.force_login(anna)
    response = client.post(
        url("consultations:comment", consultation.pk), {"section": section.pk, "body": "Serve più chiarezza."}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#commento-{comment.pk}")
    assert (comment.section, comment.author, comment.element_keys) == (section, anna, [ACTION])
    client.force_login(bruno)
    client.post(url("consultations:comment", consultation.pk), {"parent": comment.pk, "body": "D'accordo con Anna."})
    reply = Comment.objects.get(parent=comment)
    page = page_of(client, consultation)
    assert "Serve più chiarezza." in page and "Anna R." in page
    root_at, reply_at = page.index(f'id="commento-{comment.pk}"'), page.index(f'id="commento-{reply.pk}"')
    assert (
        root_at
        < reply_at
        < page.index("</article>", reply_at)
        < page.index("</article>", page.index("</article>", reply_at) + 1)
    )
    assert "1 comment on this section" in page


def test_script_in_a_comment_is_shown_as_text(client, consultation, anna):
    client.force_login(anna)
    client.post(url("consultations:comment", consultation.pk), {"body": "<script>alert('x')</script> ciao"})
    page = page_of(client, consultation)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; ciao" in page


def test_empty_and_oversized_comments_get_a_form_error(client, consultation, anna):
    client.force_login(anna)
    empty = client.post(url("consultations:comment", consultation.pk), {"body": "  "})
    assert empty.status_code == 400
    assert "Write your comment." in empty.content.decode()
    long = client.post(url("consultations:comment", consultation.pk), {"body": "x" * 2001})
    assert long.status_code == 400
    assert "at most 2000 characters" in long.content.decode()
    assert not Comment.objects.exists()


def test_visitors_read_but_must_sign_in_to_write(client, consultation):
    page = page_of(client, consultation)
    assert "Sign in" in page and 'name="parent"' not in page
    response = client.post(url("consultations:comment", consultation.pk), {"body": "Anonimo"})
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_annotating_a_passage_highlights_it(client, consultation, anna):
    section = consultation.sections.get(element_key=ACTION)
    client.force_login(anna)
    response = client.post(
        url("consultations:annotate", consultation.pk, section.pk),
        {"quote": "strategie integrate", "body": "Quali strategie?", "start": "", "end": ""},
    )
    annotation = Annotation.objects.get()
    assert response["Location"].endswith(f"#annotazione-{annotation.pk}")
    page = page_of(client, consultation)
    assert f'<span id="passaggio-{annotation.pk}"></span><mark>strategie integrate</mark>' in page
    assert "Quali strategie?" in page and "1 annotation" in page


def test_a_passage_not_in_the_text_is_a_form_error(client, consultation, anna):
    section = consultation.sections.get(element_key=ACTION)
    client.force_login(anna)
    response = client.post(
        url("consultations:annotate", consultation.pk, section.pk), {"quote": "non esiste", "body": "?"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This passage is not in the text of the section" in page
    assert f'id="annotate-{section.pk}-details"' in page and " open id=" in page
    assert not Annotation.objects.exists()


def test_supporting_twice_counts_once(client, consultation, anna, bruno):
    comment = services.post_comment(consultation=consultation, user=anna, body="Da sostenere")
    client.force_login(bruno)
    support = url("consultations:support_comment", consultation.pk, comment.pk)
    assert client.post(support).status_code == 302
    second = client.post(support, follow=True)
    assert "You already support it" in second.content.decode()
    assert CommentSupport.objects.filter(comment=comment).count() == 1
    page = page_of(client, consultation)
    assert "1 support" in page and "You support it" in page


def test_after_closing_forms_are_gone_and_writes_refused(client, consultation, anna):
    comment = services.post_comment(consultation=consultation, user=anna, body="In tempo")
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    client.force_login(anna)
    page = page_of(client, consultation)
    assert "Consultation closed" in page and "This consultation closed on" in page
    assert "Publish the comment" not in page and "Annotate a passage" not in page
    response = client.post(url("consultations:comment", consultation.pk), {"body": "Troppo tardi"})
    assert response.status_code == 403
    assert "it no longer accepts contributions" in response.content.decode()
    section = consultation.sections.first()
    annotated = client.post(
        url("consultations:annotate", consultation.pk, section.pk), {"quote": section.body[:5], "body": "Tardi"}
    )
    assert annotated.status_code == 403
    assert client.post(url("consultations:support_comment", consultation.pk, comment.pk)).status_code == 403
    assert Comment.objects.count() == 1 and not Annotation.objects.exists() and not CommentSupport.objects.exists()


@override_settings(PARTICIPATION_RATE_LIMITS={"comment": (2, 600)})
def test_a_flood_of_comments_is_stopped_with_429(client, consultation, anna):
    client.force_login(anna)
    for number in range(2):
        assert (
            client.post(url("consultations:comment", consultation.pk), {"body": f"Commento {number}"}).status_code
            == 302
        )
    response = client.post(url("consultations:comment", consultation.pk), {"body": "Ancora"})
    assert response.status_code == 429
    assert "Too many contributions in a short time" in response.content.decode()
    assert Comment.objects.count() == 2


def answer_data(consultation, *, age: float = 10, **extra) -> dict:
    started = signing.dumps({"c": consultation.pk, "t": time.time() - age}, salt="consultations.answer")
    return {"body": "Una risposta breve.", "website": "", "started": started, **extra}


def test_an_anonymous_visitor_leaves_a_short_answer(client, consultation):
    response = client.post(url("consultations:answer", consultation.pk), answer_data(consultation))
    answer = AnonymousAnswer.objects.get()
    assert response["Location"].endswith(f"#risposta-{answer.pk}")
    assert answer.author is None and len(answer.address_hash) == 64
    assert "Una risposta breve." in page_of(client, consultation)


@pytest.mark.parametrize(
    "case",
    ["honeypot", "too fast", "forged"],
)
def test_programs_filling_the_answer_form_are_refused(client, consultation, case):
    data = {
        "honeypot": answer_data(consultation, website="http://spam.example"),
        "too fast": answer_data(consultation, age=forms.MIN_FILL_SECONDS - 2),
        "forged": answer_data(consultation, started="not-a-token"),
    }[case]
    response = client.post(url("consultations:answer", consultation.pk), data)
    assert response.status_code == 400
    assert "Your contribution was not saved" in response.content.decode()
    assert not AnonymousAnswer.objects.exists()


@override_settings(PARTICIPATION_RATE_LIMITS={"anonymous": (1, 600)})
def test_anonymous_answers_are_rate_limited_by_address(client, consultation):
    assert client.post(url("consultations:answer", consultation.pk), answer_data(consultation)).status_code == 302
    assert client.post(url("consultations:answer", consultation.pk), answer_data(consultation)).status_code == 429
    assert AnonymousAnswer.objects.count() == 1


def test_hidden_comments_show_the_reason_instead_of_the_text(client, consultation, anna):
    comment = services.post_comment(consultation=consultation, user=anna, body="Testo offensivo")
    Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now(), hidden_reason="linguaggio offensivo")
    page = page_of(client, consultation)
    assert "Hidden by the moderators: linguaggio offensivo" in page
    assert "Testo offensivo" not in page


def test_sorting_by_support_puts_the_most_supported_first(client, consultation, anna, bruno):
    older = services.post_comment(consultation=consultation, user=anna, body="Il più sostenuto")
    services.post_comment(consultation=consultation, user=anna, body="Il più recente")
    services.support_comment(comment=older, user=bruno)
    newest = page_of(client, consultation)
    assert newest.index("Il più recente") < newest.index("Il più sostenuto")
    supported = page_of(client, consultation, ordine="sostenuti")
    assert supported.index("Il più sostenuto") < supported.index("Il più recente")


def test_results_page_and_csv(client, consultation, anna, bruno):
    comment = services.post_comment(consultation=consultation, user=anna, body="=SUM(A1:A9) ciao")
    services.support_comment(comment=comment, user=bruno)
    page = client.get(url("consultations:results", consultation.pk)).content.decode()
    assert "Results: Draft revision" in page and "Most supported comments" in page
    response = client.get(url("consultations:results_csv", consultation.pk))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "kind,id,section,element_key,reply_to,author,created_at,passage,text,supports"
    assert "'=SUM(A1:A9) ciao" in body and "Anna R." in body


def test_the_process_page_lists_its_consultations(client, consultation, anna):
    services.post_comment(consultation=consultation, user=anna, body="Uno")
    page = client.get(url("participation:process", consultation.process.slug)).content.decode()
    assert "Consultations on the draft" in page
    assert f'<a href="{url("consultations:detail", consultation.pk)}">Draft revision</a>' in page
    assert "1 comment · 0 annotations" in page


def test_the_english_title_shows_on_english_pages_only(client, consultation):
    assert "<h1>Draft revision</h1>" in page_of(client, consultation)
    italian = client.get(url("consultations:detail", consultation.pk, language="it")).content.decode()
    assert "<h1>Bozza di revisione</h1>" in italian


def test_the_plan_office_opens_a_consultation_from_the_admin_with_element_keys(client, process, roles):
    client.force_login(roles.admin)
    data = {
        "process": process.pk,
        "slug": "bozza-admin",
        "title": "Bozza dall'amministrazione",
        "opens_at_0": "2026-01-10",
        "opens_at_1": "09:00",
        "closes_at_0": "2026-02-10",
        "closes_at_1": "18:00",
        "element_keys": f"{ACTION}\n{THEME}",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    wrong = client.post(url("admin:consultations_consultation_add"), {**data, "element_keys": "nessuna/chiave"})
    assert wrong.status_code == 200
    assert "These keys are not themes, objectives or actions of the plan: nessuna/chiave." in wrong.content.decode()
    assert not Consultation.objects.exists()
    response = client.post(url("admin:consultations_consultation_add"), data)
    assert response.status_code == 302
    consultation = Consultation.objects.get(slug="bozza-admin")
    assert [section.element_key for section in consultation.sections.all()] == [THEME, ACTION]


def test_a_reply_to_a_comment_of_another_consultation_or_a_made_up_id_is_not_found(client, consultation, anna):
    client.force_login(anna)
    for parent in ("999", "abc"):
        response = client.post(url("consultations:comment", consultation.pk), {"parent": parent, "body": "Ciao"})
        assert response.status_code == 404
    assert (
        client.post(url("consultations:comment", consultation.pk), {"section": "x", "body": "Ciao"}).status_code == 404
    )
    assert not Comment.objects.exists()


def test_a_comment_offers_a_reply_link_that_opens_its_form_on_the_same_page(client, consultation, anna, bruno):
    first = services.post_comment(consultation=consultation, user=anna, body="Primo.")
    second = services.post_comment(consultation=consultation, user=anna, body="Secondo.")
    client.force_login(bruno)
    page = page_of(client, consultation, ordine="sostenuti")
    assert 'name="parent"' not in page
    link = f'href="?ordine=sostenuti&amp;rispondi={first.pk}#rispondi-{first.pk}"'
    assert link in page
    opened = page_of(client, consultation, ordine="sostenuti", rispondi=first.pk)
    assert opened.count('name="parent"') == 1
    assert f'name="parent" value="{first.pk}"' in opened and f'id="rispondi-{first.pk}"' in opened
    assert f'rispondi={second.pk}#rispondi-{second.pk}"' in opened


def test_a_refused_reply_is_shown_back_under_its_comment_with_the_error(client, consultation, anna, bruno):
    comment = services.post_comment(consultation=consultation, user=anna, body="Primo.")
    client.force_login(bruno)
    response = client.post(url("consultations:comment", consultation.pk), {"parent": comment.pk, "body": " "})
    page = response.content.decode()
    assert response.status_code == 400 and Comment.objects.count() == 1
    form_at = page.index(f'id="rispondi-{comment.pk}"')
    assert page.index(f'id="commento-{comment.pk}"') < form_at < page.index("Write your comment.", form_at)
