"""The consultation pages in a real browser: no axe violation in Italian or English, on desktop or phone,
and a passage annotated by selecting it with the mouse, under the site's Content-Security-Policy."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from socialplan.consultations import services
from socialplan.consultations.models import Annotation, Comment
from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations

from .conftest import ACTION, url

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def discussed(consultation, anna, bruno):
    """Threads, annotations (one on a passage since changed), a hidden comment, supports, short answers."""
    section = consultation.sections.get(element_key=ACTION)
    root = services.post_comment(consultation=consultation, user=anna, body="Serve più chiarezza.", section=section)
    reply = services.post_comment(consultation=consultation, user=bruno, body="Concordo.", parent=root)
    services.post_comment(consultation=consultation, user=anna, body="Grazie.", parent=reply)
    services.post_comment(consultation=consultation, user=bruno, body="Commento generale.")
    hidden = services.post_comment(consultation=consultation, user=bruno, body="Pubblicità")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="spam")
    services.support_comment(comment=root, user=bruno)
    services.annotate(section=section, user=anna, quote="strategie integrate", body="Quali?")
    gone = services.annotate(section=section, user=bruno, quote="alto impatto", body="Misurato come?")
    Annotation.objects.filter(pk=gone.pk).update(quote="un passaggio tolto")
    services.post_anonymous_answer(consultation=consultation, body="Bene così.")
    return consultation


@pytest.mark.parametrize("language", ["it", "en"])
def test_consultation_pages_are_accessible(live_server, open_page, axe, discussed, anna, language):
    detail = url("consultations:detail", discussed.pk, language=language)
    root = Comment.objects.filter(consultation=discussed, parent=None, hidden_at=None).first()
    paths = [detail, f"{detail}?rispondi={root.pk}"]  # the second with a reply form open
    paths.append(url("consultations:results", discussed.pk, language=language))
    for path in paths:
        for viewport in (DESKTOP, PHONE):
            page = open_page(live_server.url + "/healthz", viewport=viewport)
            _sign_in(page, live_server, anna)
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.lang") == language
            assert page.locator("main h1").count() == 1
            assert page.locator('input[name="parent"]').count() == ("rispondi=" in path)
            for details in page.locator("main details").all():  # the forms too
                details.evaluate("element => { element.open = true; }")
            violations = axe(page)
            assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways at {viewport['width']}px: {widths}"


SELECTION_BOX = """(args) => {
  const [containerId, quote] = args;
  const container = document.getElementById(containerId);
  container.scrollIntoView({block: "center", behavior: "instant"});
  const text = container.firstChild;
  const at = text.data.indexOf(quote);
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + quote.length);
  const rects = range.getClientRects();
  const first = rects[0], last = rects[rects.length - 1];
  return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
}"""


def test_selecting_a_passage_with_the_mouse_fills_the_annotation_form(live_server, open_page, consultation, anna):
    section = consultation.sections.get(element_key=ACTION)
    quote = "strategie integrate"
    page = open_page(live_server.url + "/healthz", bypass_csp=False)
    _sign_in(page, live_server, anna)
    page.goto(live_server.url + url("consultations:detail", consultation.pk, language="it"))
    box = page.evaluate(SELECTION_BOX, [f"testo-{section.pk}", quote])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    form = page.locator(f"#annotate-{section.pk}-form")
    assert form.locator("[name=quote]").input_value() == quote
    start = int(form.locator("[name=start]").input_value())
    assert section.body[start : start + len(quote)] == quote
    assert page.evaluate("document.activeElement.id") == f"annotate-{section.pk}-body"
    page.keyboard.type("Quali strategie, e con chi?")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    annotation = Annotation.objects.get()
    assert (annotation.quote, annotation.start, annotation.end) == (quote, start, start + len(quote))
    assert annotation.body == "Quali strategie, e con chi?"
    assert page.locator(f"#testo-{section.pk} mark").inner_text() == quote
