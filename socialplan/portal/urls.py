"""Public pages. Paths are Italian in both languages; English lives under /en/ (i18n_patterns)."""

from django.urls import path

from . import views, views_alignment, views_ecosystem, views_monitoring, views_versions

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("piano/", views.explorer, name="explorer"),
    path("piano/versioni/", views_versions.version_list, name="versions"),
    path("piano/versioni/confronta/", views_versions.version_compare, name="version_compare"),
    path("piano/versioni/<int:number>/", views_versions.version_detail, name="version"),
    path("temi/<slug:code>/", views.theme_detail, name="theme"),
    path("obiettivi/<int:pk>/", views.objective_detail, name="objective"),
    path("azioni/<int:pk>/", views.action_detail, name="action"),
    path("processo/", views.process, name="process"),
    path("contesto/", views.context_references, name="context"),
    path("allineamento/", views_alignment.coverage_matrix, name="alignment"),
    path("informazioni/", views.about, name="about"),
    path("organizzazioni/", views_ecosystem.directory, name="directory"),
    path("organizzazioni/<int:pk>/", views_ecosystem.organization_detail, name="organization"),
    path("mappa/", views_ecosystem.ecosystem_map, name="map"),
    path("rete/", views_ecosystem.network, name="network"),
    path("monitoraggio/", views_monitoring.overview, name="monitoring"),
    path("monitoraggio/indicatori/", views_monitoring.indicators, name="indicators"),
    path("monitoraggio/indicatori/<slug:code>/", views_monitoring.indicator_detail, name="indicator"),
    path("monitoraggio/indicatori/<slug:code>.csv", views_monitoring.indicator_csv, name="indicator_csv"),
    path("monitoraggio/dati-open-sdg.zip", views_monitoring.indicators_zip, name="indicators_zip"),
    path("monitoraggio/rapporti/", views_monitoring.reports, name="cycle_reports"),
    path("monitoraggio/rapporti/<int:pk>/", views_monitoring.cycle_report, name="cycle_report"),
    path("monitoraggio/rapporti/<int:pk>.pdf", views_monitoring.cycle_report_pdf, name="cycle_report_pdf"),
]
