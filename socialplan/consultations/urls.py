"""Consultation pages, under /partecipa/consultazioni/."""

from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/commenta/", views.post_comment, name="comment"),
    path("<int:pk>/sezioni/<int:section_pk>/annota/", views.post_annotation, name="annotate"),
    path("<int:pk>/commenti/<int:comment_pk>/sostieni/", views.support_comment, name="support_comment"),
    path("<int:pk>/annotazioni/<int:annotation_pk>/sostieni/", views.support_annotation, name="support_annotation"),
    path("<int:pk>/rispondi/", views.post_answer, name="answer"),
    path("<int:pk>/risultati/", views.consultation_results, name="results"),
    path("<int:pk>/risultati/contributi.csv", views.consultation_csv, name="results_csv"),
]
