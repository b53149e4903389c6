"""Links built from a pattern reversed once per language are the links `reverse` builds."""

from django.urls import reverse
from django.utils import translation

from socialplan.participation.links import PLACEHOLDERS, url_with_ids


def test_links_with_ids_equal_reverse_in_every_language():
    for language in ("it", "en"):
        with translation.override(language):
            for name, ids in (
                ("consultations:support_comment", (3, 41)),
                ("participation:report", (7, 12345)),
                ("participation:follow", ()),
            ):
                assert url_with_ids(name, *ids) == reverse(name, args=ids), (language, name)
    with translation.override("en"):
        assert url_with_ids("participation:report", 7, 1).startswith("/en/")


def test_an_id_equal_to_a_placeholder_is_not_replaced_twice():
    first, second = int(PLACEHOLDERS[1]), int(PLACEHOLDERS[0])
    expected = reverse("consultations:support_comment", args=[first, second])
    assert url_with_ids("consultations:support_comment", first, second) == expected
