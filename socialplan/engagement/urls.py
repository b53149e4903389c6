"""Surveys, meetings and interviews, under /partecipa/attivita/."""

from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("questionari/<int:pk>/", views.survey, name="survey"),
    path("questionari/<int:pk>/risultati/", views.results, name="results"),
    path("questionari/<int:pk>/risultati.csv", views.results_csv, name="results_csv"),
    path("incontri/", views.meeting_list, name="meetings"),
    path("incontri/<int:pk>/", views.meeting_detail, name="meeting"),
    path("incontri/<int:pk>.ics", views.meeting_ics, name="meeting_ics"),
    path("incontri/<int:pk>/iscrizione/", views.meeting_register, name="meeting_register"),
    path("incontri/<int:pk>/annulla-iscrizione/", views.meeting_cancel, name="meeting_cancel"),
    path("incontri/<int:pk>/presenze/", views.meeting_office, name="meeting_office"),
    path("interviste/", views.interview_list, name="interviews"),
]
