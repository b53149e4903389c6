"""The partnership network as a drawing computed on the server: actions on the left, organizations on the right.

A two-column (bipartite) layout rather than a force layout: it is
deterministic (the same data gives the same picture, in the page and in a
PDF), needs no JavaScript, and keeps every label readable. Crossings are
reduced with the barycentre heuristic (Sugiyama et al., 1981): each column is
sorted by the mean position of its neighbours in the other, a few times over.
"""

from dataclasses import dataclass

from socialplan.ecosystem.models import Partnership
from socialplan.ecosystem.selectors import Network

WIDTH = 960
ROW = 24
MARGIN = 24
ACTION_X = 330
ORGANIZATION_X = 630
LABEL_GAP = 10
LABEL_CHARACTERS = 44
SWEEPS = 4


@dataclass(frozen=True)
class Node:
    x: int
    y: int
    label: str
    full_label: str


@dataclass(frozen=True)
class Edge:
    path: str
    role: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    actions: list[Node]
    organizations: list[Node]
    edges: list[Edge]
    action_label_x: int = ACTION_X - LABEL_GAP
    organization_label_x: int = ORGANIZATION_X + LABEL_GAP


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _barycentre_order(items: list[int], neighbours: dict[int, list[int]], positions: dict[int, int]) -> list[int]:
    """Items sorted by the mean position of their neighbours; ties and loners keep their current order."""
    current = {item: index for index, item in enumerate(items)}

    def key(item: int) -> tuple[float, int]:
        placed = [positions[other] for other in neighbours.get(item, []) if other in positions]
        return (sum(placed) / len(placed) if placed else current[item], current[item])

    return sorted(items, key=key)


def _positions(items: list[int]) -> dict[int, int]:
    return {item: index for index, item in enumerate(items)}


def _column_ys(count: int, height: int) -> list[int]:
    """Rows of a column, centred vertically when it is shorter than the other."""
    top = MARGIN + (height - 2 * MARGIN - count * ROW) // 2
    return [top + index * ROW + ROW // 2 for index in range(count)]


def draw_network(network: Network) -> Drawing | None:
    if not network.links:
        return None
    actions = [action.pk for action in network.actions]
    organizations = [organization.pk for organization in network.organizations]
    of_action: dict[int, list[int]] = {}
    of_organization: dict[int, list[int]] = {}
    for link in network.links:
        of_action.setdefault(link.action_id, []).append(link.organization_id)
        of_organization.setdefault(link.organization_id, []).append(link.action_id)
    for _sweep in range(SWEEPS):
        actions = _barycentre_order(actions, of_action, _positions(organizations))
        organizations = _barycentre_order(organizations, of_organization, _positions(actions))

    height = 2 * MARGIN + max(len(actions), len(organizations)) * ROW
    action_y = dict(zip(actions, _column_ys(len(actions), height), strict=True))
    organization_y = dict(zip(organizations, _column_ys(len(organizations), height), strict=True))
    titles = {action.pk: action.title for action in network.actions}
    names = {organization.pk: organization.legal_name for organization in network.organizations}
    middle = (ACTION_X + ORGANIZATION_X) // 2
    # Leads drawn last, on top of the thinner lines.
    order = {role: index for index, role in enumerate(reversed(Partnership.Role.values))}
    edges = []
    for link in sorted(network.links, key=lambda link: order.get(link.role, 0)):
        start, end = action_y[link.action_id], organization_y[link.organization_id]
        path = f"M{ACTION_X},{start} C{middle},{start} {middle},{end} {ORGANIZATION_X},{end}"
        edges.append(Edge(path=path, role=link.role))
    return Drawing(
        width=WIDTH,
        height=height,
        actions=[Node(ACTION_X, action_y[pk], _shorten(titles[pk]), titles[pk]) for pk in actions],
        organizations=[
            Node(ORGANIZATION_X, organization_y[pk], _shorten(names[pk]), names[pk]) for pk in organizations
        ],
        edges=edges,
    )
