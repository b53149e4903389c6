"""The matcher's pages in the personal area."""

from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.my_opportunities, name="mine"),
    path("avvisi/", views.alerts, name="alerts"),
    path("avvisi/<int:pk>/disattiva/", views.stop_alert, name="stop_alert"),
]
