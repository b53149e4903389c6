"""The public dashboard of spend to the social economy and social value, at /opportunita/cruscotto/."""

from django.urls import path

from . import views_dashboard

app_name = "opportunities_dashboard"

urlpatterns = [path("", views_dashboard.dashboard, name="dashboard")]
