"""The coverage matrix: which items of each framework the plan covers, with which elements, and which not yet.

One framework at a time with `?quadro=<code>`, all of them without it. An
unknown code answers 404 with the page itself, saying so and offering the
frameworks that exist. A fixed number of queries whatever the data size.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socialplan.alignment.selectors import UnknownFramework, coverage, framework_list
from socialplan.core.cache import cached_public_page

from .current import current_plan

FRAMEWORK_PARAMETER = "quadro"


@cached_public_page
def coverage_matrix(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    chosen = request.GET.get(FRAMEWORK_PARAMETER, "").strip()
    context = {"plan": plan, "frameworks": list(framework_list()), "chosen": chosen, "unknown": ""}
    try:
        context["matrix"] = coverage(plan=plan, framework_code=chosen or None)
    except UnknownFramework:
        context.update(matrix=[], unknown=chosen)
        return render(request, "portal/alignment.html", context, status=404)
    return render(request, "portal/alignment.html", context)
