"""RSS 2.0 and Atom feeds of the newest opportunities, with the board's filters in the query string."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors
from .models import Opportunity
from .views import board_filters, filter_query


class NewOpportunitiesFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    url_name = "opportunities:feed_rss"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        filters, _ignored = board_filters(request.GET)
        return {"filters": filters, "query": filter_query(request.GET)}

    def title(self, obj: dict[str, Any]) -> str:
        return _("New opportunities") if not obj["filters"].in_use else _("New opportunities (filtered)")

    def link(self, obj: dict[str, Any]) -> str:
        url = reverse("opportunities:board")
        return f"{url}?{obj['query']}" if obj["query"] else url

    def feed_url(self, obj: dict[str, Any]) -> str:
        url = reverse(self.url_name)
        return f"{url}?{obj['query']}" if obj["query"] else url

    def description(self, obj: dict[str, Any]) -> str:
        return _("The newest opportunities for the social economy: tenders, conventions, co-design calls, finance.")

    def items(self, obj: dict[str, Any]) -> list[Opportunity]:
        return selectors.newest(obj["filters"])

    def item_title(self, item: Opportunity) -> str:
        return item.title

    def item_description(self, item: Opportunity) -> str:
        parts = [str(item.get_kind_display()), item.buyer.name]
        if item.value is not None:
            parts.append(_("EUR %(value)s") % {"value": selectors.amount(item.value)})
        if item.deadline is not None:
            parts.append(
                _("deadline %(date)s") % {"date": date_format(timezone.localtime(item.deadline), "SHORT_DATE_FORMAT")}
            )
        summary = " · ".join(parts)
        return f"{summary}\n\n{item.description}" if item.description else summary

    def item_link(self, item: Opportunity) -> str:
        return reverse("opportunities:opportunity", args=[item.pk])

    def item_pubdate(self, item: Opportunity) -> datetime:
        return timezone.make_aware(datetime.combine(item.published_on, time.min))

    def item_updateddate(self, item: Opportunity) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Opportunity) -> str:
        return item.buyer.name

    def item_categories(self, item: Opportunity) -> list[str]:
        return [str(item.get_kind_display())]


class NewOpportunitiesAtomFeed(NewOpportunitiesFeed):
    feed_type = Atom1Feed
    url_name = "opportunities:feed_atom"
    subtitle = NewOpportunitiesFeed.description
