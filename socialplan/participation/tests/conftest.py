"""Fixtures of the participation tests."""

import pytest


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English texts (paths reversed here get /en/); Italian is checked where a test asks."""
    from django.utils import translation

    with translation.override("en"):
        yield
