"""The reporter's pages, under the personal area (/area-personale/monitoraggio/)."""

from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.assignments, name="assignments"),
    path("periodi/<int:pk>/", views.report, name="report"),
    path("periodi/<int:pk>/organizzazioni/<int:organization_pk>/", views.report, name="report_for"),
]
