"""Participation pages, under /partecipa/. Each kind of contribution adds its own paths from its app."""

from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.process_list, name="processes"),
    path("<slug:slug>/", views.process_detail, name="process"),
]
