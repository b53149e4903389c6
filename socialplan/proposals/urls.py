"""Proposals, under /partecipa/proposte/."""

from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("processo/<slug:slug>/", views.process_proposals, name="list"),
    path("processo/<slug:slug>/nuova/", views.new_proposal, name="new"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/sostegno/", views.support, name="support"),
    path("<int:pk>/risposta/", views.answer, name="answer"),
    path("<int:pk>/ritiro/", views.withdraw, name="withdraw"),
]
