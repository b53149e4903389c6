"""The matcher's public page: the organizations that could answer an opportunity."""

from django.urls import path

from . import views

app_name = "matches"
urlpatterns = [
    path("<int:pk>/organizzazioni/", views.opportunity_organizations, name="organizations"),
]
