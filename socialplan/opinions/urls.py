"""Opinion groups, under /partecipa/opinioni/."""

from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("<int:pk>/", views.vote_page, name="vote"),
    path("<int:pk>/voto/", views.vote, name="cast"),
    path("<int:pk>/affermazione/", views.add_statement, name="add_statement"),
    path("<int:pk>/gruppi/", views.results, name="results"),
    path("<int:pk>/moderazione/", views.moderation, name="moderation"),
]
