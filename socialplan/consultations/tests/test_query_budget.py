"""The consultation page and its results read the same number of queries whatever the number of contributions."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialplan.consultations import services

from .conftest import participant, url


def _queries(client, path: str) -> int:
    client.get(path)  # per-process caches (content types, translations) filled first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _write(consultation, people, count: int) -> None:
    sections = list(consultation.sections.all())
    for number in range(count):
        author = people[number % len(people)]
        comment = services.post_comment(
            consultation=consultation, user=author, body=f"Commento {number}", section=sections[number % 2]
        )
        services.post_comment(consultation=consultation, user=author, body="Risposta", parent=comment)
        services.support_comment(comment=comment, user=people[(number + 1) % len(people)])
        section = sections[number % 2]
        quote = section.body.split()[0]
        services.annotate(section=section, user=author, quote=quote, body=f"Nota {number}")


def test_the_pages_do_not_grow_with_the_contributions(client, consultation, anna, bruno):
    people = [anna, bruno, *(participant(f"p{number}@example.org", f"P{number}") for number in range(4))]
    client.force_login(anna)
    pages = [url("consultations:detail", consultation.pk), url("consultations:results", consultation.pk)]
    _write(consultation, people, 2)
    few = [_queries(client, path) for path in pages]
    _write(consultation, people, 20)
    many = [_queries(client, path) for path in pages]
    assert many == few, f"queries with 2 and 22 comments: {few} -> {many}"


def test_a_section_pages_through_its_threads_with_their_replies(client, consultation, anna, bruno, monkeypatch):
    from socialplan.consultations import selectors

    monkeypatch.setattr(selectors, "THREADS_PER_PAGE", 3)
    section = consultation.sections.first()
    roots = [
        services.post_comment(consultation=consultation, user=anna, body=f"Radice {number}", section=section)
        for number in range(5)
    ]
    services.post_comment(consultation=consultation, user=bruno, body="Risposta alla prima", parent=roots[0])
    first = client.get(url("consultations:detail", consultation.pk)).content.decode()
    assert [f"Radice {number}" in first for number in range(5)] == [False, False, True, True, True]
    assert "Page 1 of 2 (5 comments with their replies)" in first
    assert f"luogo={section.pk}&amp;pagina=2" in first
    second = client.get(url("consultations:detail", consultation.pk) + f"?luogo={section.pk}&pagina=2").content
    second = second.decode()
    assert [f"Radice {number}" in second for number in range(5)] == [True, True, False, False, False]
    assert "Risposta alla prima" in second and "Previous comments" in second
    # A page past the last shows the last; a made-up place or page changes nothing.
    assert (
        "Radice 0"
        in client.get(url("consultations:detail", consultation.pk) + f"?luogo={section.pk}&pagina=99").content.decode()
    )
    assert client.get(url("consultations:detail", consultation.pk) + "?luogo=x&pagina=abc").status_code == 200
