"""Public pages of the opportunities. Paths are Italian in both languages; English lives under /en/."""

from django.urls import path

from . import feeds, views

app_name = "opportunities"
urlpatterns = [
    path("", views.board, name="board"),
    path("feed.rss", feeds.NewOpportunitiesFeed(), name="feed_rss"),
    path("feed.atom", feeds.NewOpportunitiesAtomFeed(), name="feed_atom"),
    path("<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("committenti/<int:pk>/", views.buyer_detail, name="buyer"),
]
