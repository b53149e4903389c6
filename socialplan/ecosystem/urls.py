"""The personal area: a signed-in user's organizations, join requests, profile edits and pledges."""

app_name = "ecosystem"
urlpatterns: list = []
