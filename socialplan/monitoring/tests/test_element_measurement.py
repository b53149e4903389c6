"""A theme's, an objective's and an action's page show the indicators that measure it and the framework items it
addresses."""

from decimal import Decimal

from django.utils import translation

from socialplan.alignment.models import Alignment
from socialplan.monitoring.models import Indicator
from socialplan.plan.models import Objective, Theme

from .conftest import H1_2025
from .factories import approved


def italian_page(client, element) -> str:
    with translation.override("it"):
        path = element.get_absolute_url()
    return client.get(path).content.decode()


def test_a_theme_page_shows_its_indicators_with_status_and_its_alignments(client, torino, hired, reporter):
    approved(hired.periods.get(end=H1_2025), reporter, value=Decimal(12))
    theme = Theme.objects.get(plan=torino, code="social-procurement")
    assert hired.theme_id == theme.pk
    linked = Alignment.objects.filter(theme=theme).select_related("item__framework").first()
    assert linked is not None, "the Turin links include the social procurement theme"
    page = italian_page(client, theme)
    assert f'href="/monitoraggio/indicatori/{hired.code}/"' in page
    assert "Indicatori" in page and "12" in page
    assert "Allineamento con i quadri europei e internazionali" in page
    assert linked.item.code in page and f"?quadro={linked.item.framework.code}" in page
    # Indicators of the theme's objectives and actions are on their own pages, not repeated here.
    on_objective = Indicator.objects.filter(plan=torino, objective__theme=theme).first()
    if on_objective is not None:
        assert f'href="/monitoraggio/indicatori/{on_objective.code}/"' not in page


def test_an_objective_page_shows_its_own_indicators_and_alignments(client, torino):
    objective = Objective.objects.get(theme__plan=torino, code="sp-o1")
    own = list(Indicator.objects.filter(plan=torino, objective=objective))
    page = italian_page(client, objective)
    for indicator in own:
        assert f'href="/monitoraggio/indicatori/{indicator.code}/"' in page
    for alignment in Alignment.objects.filter(objective=objective).select_related("item"):
        assert alignment.item.code in page
    assert own or Alignment.objects.filter(objective=objective).exists()
