"""Operational endpoints shared by the whole platform."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for the reverse proxy: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")
