"""The buyers' area. Paths are Italian in both languages; English lives under /en/."""

from django.urls import path

from . import views

app_name = "buyers"
urlpatterns = [
    path("", views.home, name="home"),
    path("richiesta/", views.ask, name="ask"),
    path("richieste/", views.requests_queue, name="requests"),
    path("richieste/<int:pk>/decisione/", views.decide, name="decide"),
    path("<int:pk>/", views.buyer_area, name="area"),
    path("<int:pk>/nuova/", views.new_opportunity, name="new_opportunity"),
    path("bozze/<int:pk>/", views.edit_draft, name="draft"),
    path("opportunita/<int:pk>/", views.edit_published, name="edit_opportunity"),
    path("opportunita/<int:pk>/chiudi/", views.close, name="close"),
    path("aggiudicazioni/<int:pk>/", views.award, name="award"),
    path("fornitore/", views.supplier_area, name="supplier_area"),
    path("fornitore/aggiudicazioni/<int:pk>/", views.supplier_award, name="supplier_award"),
]
