"""Participation pages, under /partecipa/. Each kind of contribution adds its own paths from its app."""

from django.urls import path

from . import views, views_people, views_trace

app_name = "participation"
urlpatterns = [
    path("", views.process_list, name="processes"),
    path("segnala/<int:content_type_id>/<int:object_id>/", views_people.report, name="report"),
    path("segui/", views_people.follow, name="follow"),
    path("moderazione/", views_people.moderation_queue, name="moderation"),
    path("moderazione/<int:content_type_id>/<int:object_id>/", views_people.moderate, name="moderate"),
    path("privacy/", views_people.privacy, name="privacy"),
    path("profilo/", views_people.profile, name="profile"),
    path("profilo/dati.json", views_people.profile_data, name="profile_data"),
    path("profilo/elimina/", views_people.delete_account, name="delete_account"),
    path("profilo/eliminato/", views_people.account_deleted, name="account_deleted"),
    path("disiscriviti/<str:token>/", views_people.unsubscribe, name="unsubscribe"),
    path("tracciabilita/", views_trace.link_changes, name="traceability"),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/rapporto/", views_trace.consultation_report, name="consultation_report"),
    path("<slug:slug>/rapporto.pdf", views_trace.consultation_report_pdf, name="consultation_report_pdf"),
]
