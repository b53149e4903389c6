"""The Ninja API object: each domain app owns its router and schemas.

The interactive documentation is ninja's Swagger UI served from the static
files ninja ships (ninja is in INSTALLED_APPS), so it works offline and
under the site's CSP: no CDN, no inline script (settings travel in a JSON
data block read by ninja's swagger-ui-init.js).
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger

from socialplan.alignment.api import router as alignment_router
from socialplan.ecosystem.api import router as ecosystem_router
from socialplan.matching.api import router as matching_router
from socialplan.monitoring.api import router as monitoring_router
from socialplan.monitoring.reporting_api import router as reporting_router
from socialplan.opportunities.api import router as opportunities_router
from socialplan.participation.api import router as participation_router
from socialplan.plan.api import router as plan_router
from socialplan.territory.api import router as territory_router

from .errors import install_error_handlers


class SessionSwagger(Swagger):
    """Swagger UI that sends the CSRF token, so a logged-in user can try the writes.

    ninja adds the token only when the whole API uses session auth; here only
    the writes do, and the reads stay open.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        page_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(page_settings), "api": api, "add_csrf": True}
        return render(request, self.template, context)


api = NinjaAPI(
    title="Social economy plan API",
    version="1.0.0",
    description=(
        "Open data of the metropolitan plans for the social economy: plans, themes, objectives, "
        "actions, tools, process phases and context references; the organizations of the ecosystem "
        "(public fields only), their partnerships in the actions and their pledges; the comuni of the "
        "territory with their population and boundaries; the plan's indicators with their approved values and "
        "status, and its alignment with the policy frameworks. Logged-in users write with their session (send "
        "the CSRF token in the X-CSRFToken header): the plan office and theme coordinators report on actions; "
        "reporters draft and submit indicator updates, which the plan office and the theme's coordinators "
        "approve or return; the plan office links plan elements to framework items. The opportunities open to the "
        "social economy (tenders, reserved contracts, conventions, co-design calls, finance, training, public assets) "
        "come with their buyers, legal basis and eligibility rule, and with the eligible organizations ranked for "
        "each, every score explained; members see their organization's ranked opportunities. The participatory "
        "processes come with their phases, consultations (draft text and comments), proposals with the office's "
        "answers and supports, and opinion conversations with their groups; participants comment, support and vote "
        "with their session. Every text in Italian "
        "(`_it`) and English "
        "(`_en`) where it exists in both. Lists take `limit` and `offset` and return `items` with the "
        "total `count`."
    ),
    urls_namespace="api",
    # validatorUrl null: Swagger UI would otherwise load a badge from an external validator.
    docs=SessionSwagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)
api.add_router("/", plan_router)
api.add_router("/", ecosystem_router)
api.add_router("/", territory_router)
api.add_router("/", alignment_router)
api.add_router("/", monitoring_router)
api.add_router("/", reporting_router)
api.add_router("/", opportunities_router)
api.add_router("/", matching_router)
api.add_router("/", participation_router)
