"""Reading conversations, what a participant has left to vote on, and the latest groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.safestring import mark_safe

from socialplan.participation.models import Process

from .groups import MIN_VOTES_PER_PARTICIPANT
from .models import Conversation, GroupsResult, Statement, Vote

# Chart area of the results page, in SVG user units.
CHART_WIDTH, CHART_HEIGHT, CHART_PADDING = 400, 300, 16
GROUP_COLOURS = ["#0066CC", "#B8470F", "#00785A", "#8E3B86", "#5C5F66"]  # >= 3:1 on white (WCAG 1.4.11)


def published_conversations() -> QuerySet[Conversation]:
    return Conversation.objects.filter(process__published=True).select_related("process")


def conversations_of(process: Process) -> list[Conversation]:
    """The process's conversations; their counts of statements, votes and voters are kept on the rows."""
    return list(process.conversations.order_by("-opens_at", "pk"))


def votable_statements(conversation: Conversation) -> QuerySet[Statement]:
    return conversation.statements.filter(status=Statement.Status.ACCEPTED, hidden_at__isnull=True)


def next_statement(conversation: Conversation, participant: Any) -> Statement | None:
    """The statement the participant has not voted yet with the fewest votes (so new statements get seen)."""
    return votable_statements(conversation).exclude(votes__participant=participant).order_by("vote_count", "pk").first()


@dataclass
class Progress:
    voted: int
    total: int


def progress(conversation: Conversation, participant: Any) -> Progress:
    statements = votable_statements(conversation)
    return Progress(
        voted=Vote.objects.filter(participant=participant, statement__in=statements).count(), total=statements.count()
    )


def votes_of(conversation: Conversation, participant: Any) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(participant=participant, statement__in=votable_statements(conversation))
        .select_related("statement")
        .order_by("-updated_at", "-pk")
    )


def pending_statements(conversation: Conversation) -> QuerySet[Statement]:
    return conversation.statements.filter(status=Statement.Status.PENDING).select_related("author__participant_profile")


def own_pending(conversation: Conversation, participant: Any) -> QuerySet[Statement]:
    return conversation.statements.filter(status=Statement.Status.PENDING, author=participant)


def latest_result(conversation: Conversation) -> GroupsResult | None:
    return conversation.groups_results.order_by("-computed_at", "-pk").first()


def clusterable_participants(conversation: Conversation) -> int:
    """How many participants voted enough counted statements to be placed in a group."""
    return (
        Vote.objects.filter(participant__isnull=False, statement__in=votable_statements(conversation))
        .values("participant")
        .annotate(votes=Count("pk"))
        .filter(votes__gte=MIN_VOTES_PER_PARTICIPANT)
        .count()
    )


def group_name(index: int) -> str:
    return chr(ord("A") + index)


def _hidden_reasons(result: GroupsResult) -> dict[int, str]:
    """The statements of a stored result that the moderators hid since (their text gives way to the reason)."""
    ids = {item["statement"] for group in result.groups for item in group["representative"]}
    ids |= {item["statement"] for items in result.consensus.values() for item in items}
    return dict(Statement.objects.filter(pk__in=ids, hidden_at__isnull=False).values_list("pk", "hidden_reason"))


def results_view(result: GroupsResult) -> dict[str, Any]:
    """The stored result shaped for the page: group names and colours, percentages, the chart's dots."""
    hidden = _hidden_reasons(result)
    groups = []
    for group in result.groups:
        groups.append(
            {
                **group,
                "name": group_name(group["id"]),
                "colour": GROUP_COLOURS[group["id"] % len(GROUP_COLOURS)],
                "share": round(100 * group["size"] / result.participants) if result.participants else 0,
                "representative": [
                    {
                        **item,
                        "hidden": item["statement"] in hidden,
                        "hidden_reason": hidden.get(item["statement"], ""),
                        "agree_pct": round(100 * item["agree"]),
                        "disagree_pct": round(100 * item["disagree"]),
                        "rest_agree_pct": round(100 * item["rest_agree"]),
                        "rest_disagree_pct": round(100 * item["rest_disagree"]),
                    }
                    for item in group["representative"]
                ],
            }
        )
    consensus = {
        direction: [
            {
                **item,
                "hidden": item["statement"] in hidden,
                "hidden_reason": hidden.get(item["statement"], ""),
                "pct": round(100 * item["share"]),
                "by_group": [
                    {"name": group_name(index), "pct": round(100 * share)}
                    for index, share in enumerate(item["by_group"])
                ],
            }
            for item in items
        ]
        for direction, items in result.consensus.items()
    }
    return {"groups": groups, "consensus": consensus, "chart": _chart(result.projection, groups)}


def _chart(projection: list[list[float]], groups: list[dict[str, Any]]) -> dict[str, Any]:
    if not projection:
        return {"dots": [], "labels": []}
    xs = [point[0] for point in projection]
    ys = [point[1] for point in projection]
    low_x, top_y = min(xs), max(ys)
    span_x = (max(xs) - low_x) or 1.0
    span_y = (top_y - min(ys)) or 1.0
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PADDING, CHART_HEIGHT - 2 * CHART_PADDING

    def place(x: float, y: float) -> tuple[float, float]:
        return (
            round(CHART_PADDING + (x - low_x) / span_x * inner_w, 1),
            round(CHART_PADDING + (top_y - y) / span_y * inner_h, 1),
        )

    colours = {group["id"]: group["colour"] for group in groups}
    dots, sums = [], {}
    for x, y, group_id in projection:
        cx, cy = place(x, y)
        dots.append((cx, cy, colours.get(group_id, GROUP_COLOURS[-1])))
        total = sums.setdefault(group_id, [0.0, 0.0, 0])
        total[0] += cx
        total[1] += cy
        total[2] += 1
    labels = [
        {"x": round(sx / count, 1), "y": round(sy / count, 1), "name": group_name(group_id)}
        for group_id, (sx, sy, count) in sorted(sums.items())
    ]
    # A thousand dots: written here in one pass rather than by a template loop. Safe as it is: numbers
    # formatted here and colours from GROUP_COLOURS, nothing a participant wrote.
    circles = mark_safe(  # noqa: S308
        "".join(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" fill-opacity="0.75"/>' for x, y, colour in dots
        )
    )
    return {"dots": dots, "circles": circles, "labels": labels, "width": CHART_WIDTH, "height": CHART_HEIGHT}
