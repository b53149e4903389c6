"""Public pages. Paths are Italian in both languages; English lives under /en/ (i18n_patterns)."""

from django.urls import path

from . import views, views_ecosystem

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("piano/", views.explorer, name="explorer"),
    path("temi/<slug:code>/", views.theme_detail, name="theme"),
    path("obiettivi/<int:pk>/", views.objective_detail, name="objective"),
    path("azioni/<int:pk>/", views.action_detail, name="action"),
    path("processo/", views.process, name="process"),
    path("contesto/", views.context_references, name="context"),
    path("informazioni/", views.about, name="about"),
    path("organizzazioni/", views_ecosystem.directory, name="directory"),
    path("organizzazioni/<int:pk>/", views_ecosystem.organization_detail, name="organization"),
    path("mappa/", views_ecosystem.ecosystem_map, name="map"),
    path("rete/", views_ecosystem.network, name="network"),
]
