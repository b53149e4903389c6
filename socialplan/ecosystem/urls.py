"""The personal area: a signed-in user's organizations, join requests, profile edits and pledges."""

from django.urls import path

from . import views

app_name = "ecosystem"
urlpatterns = [
    path("", views.home, name="home"),
    path("aderisci/", views.join, name="join"),
    path("aderisci/<int:pk>/", views.join_organization, name="join_organization"),
    path("richieste/", views.membership_requests, name="membership_requests"),
    path("richieste/<int:pk>/decisione/", views.decide, name="decide"),
    path("organizzazioni/<int:pk>/profilo/", views.edit_profile, name="edit_profile"),
    path("organizzazioni/<int:pk>/impegni/", views.pledges, name="pledges"),
    path("impegni/<int:pk>/", views.pledge_detail, name="pledge"),
    path("revisioni/", views.review_queue, name="review_queue"),
    path("revisioni/<int:pk>/", views.review_change, name="review_change"),
]
