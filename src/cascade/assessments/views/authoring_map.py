"""The map of a scenario item for its authors: every step, where each option leads, the score
and feedback of each branch, where the case ends, and the best path.

A scenario is a directed acyclic graph from its start step, so the map is laid out by depth: a
step's row is the length of the longest path that reaches it, so every branch points down. The
ends of the case sit in the row below the step they end. Within a row, steps and ends are ordered
by the average position of what leads to them, which keeps most lines from crossing. The same
facts are given as a list (`steps`), the text alternative of the drawing.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from cascade.assessments.items.scenario import Scenario, Step

NODE_WIDTH = 196
STEP_HEIGHT = 68
END_HEIGHT = 44
COLUMN = NODE_WIDTH + 28
ROW = STEP_HEIGHT + 76
MARGIN = 12
LINE_CHARACTERS = 25


@dataclass(frozen=True)
class MapBranch:
    """An option of a step, as the list describes it."""

    id: str
    text: str
    score: float
    feedback: str
    next: str  # the step it leads to; "" when it ends the case
    best: bool  # on the best path
    # For an end: the most a path ending here earns, and that as a share of the best path.
    end_total: float | None = None
    end_percent: int | None = None


@dataclass(frozen=True)
class MapStep:
    id: str
    situation: str
    depth: int
    start: bool
    best: bool
    best_from_here: float
    branches: list[MapBranch]


@dataclass(frozen=True)
class MapNode:
    key: str
    kind: str  # "step" or "end"
    x: float
    y: float
    width: float
    height: float
    title: str
    lines: list[str]
    best: bool
    # The whole text, for the tooltip of a drawing that shows only its beginning.
    tooltip: str = ""

    @property
    def center(self) -> float:
        return self.x + self.width / 2

    @property
    def text_x(self) -> float:
        return self.x + 10

    @property
    def title_y(self) -> float:
        return self.y + (18 if self.kind == "end" else 20)

    @property
    def text_lines(self) -> list[tuple[str, float]]:
        return [(line, self.title_y + 17 * (n + 1)) for n, line in enumerate(self.lines)]


@dataclass(frozen=True)
class MapEdge:
    path: str
    label: str
    label_x: float
    label_y: float
    best: bool


@dataclass
class ScenarioMap:
    steps: list[MapStep]
    best_score: float
    best_path: list[tuple[str, str]]  # (step id, option id) along the best path
    nodes: list[MapNode] = field(default_factory=list)
    edges: list[MapEdge] = field(default_factory=list)
    width: float = 0
    height: float = 0

    @property
    def end_count(self) -> int:
        return sum(1 for s in self.steps for b in s.branches if not b.next)


def score_text(value: float) -> str:
    """A score as authors write it: +2, -1, 0, +1.5."""
    shown = f"{value:g}"
    return shown if value <= 0 else f"+{shown}"


def _topological(scenario: Scenario, by_id: dict[str, Step]) -> list[str]:
    """The steps in an order where each comes before every step it leads to."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(step_id: str) -> None:
        if step_id in seen:
            return
        seen.add(step_id)
        for option in by_id[step_id].options:
            if option.next:
                visit(option.next)
        order.append(step_id)

    visit(scenario.start)
    return list(reversed(order))


def scenario_map(scenario: Scenario) -> ScenarioMap:
    """The map of a validated scenario (acyclic, every step reachable)."""
    by_id = {s.id: s for s in scenario.steps}
    order = _topological(scenario, by_id)
    depth = dict.fromkeys(order, 0)
    best_to = dict.fromkeys(order, float("-inf"))
    best_to[scenario.start] = 0.0
    for step_id in order:
        for option in by_id[step_id].options:
            if option.next:
                depth[option.next] = max(depth[option.next], depth[step_id] + 1)
                best_to[option.next] = max(best_to[option.next], best_to[step_id] + option.score)
    best_from: dict[str, float] = {}
    for step_id in reversed(order):
        best_from[step_id] = max(
            o.score + (best_from[o.next] if o.next else 0.0) for o in by_id[step_id].options
        )
    best_score = best_from[scenario.start]
    best_path: list[tuple[str, str]] = []
    at = scenario.start
    while at:
        chosen = next(
            o
            for o in by_id[at].options
            if o.score + (best_from[o.next] if o.next else 0.0) == best_from[at]
        )
        best_path.append((at, chosen.id))
        at = chosen.next
    on_best = set(best_path)
    best_steps = {step for step, _ in best_path}

    steps: list[MapStep] = []
    for step_id in sorted(order, key=lambda s: (depth[s], order.index(s))):
        step = by_id[step_id]
        branches = []
        for option in step.options:
            end_total = None if option.next else best_to[step_id] + option.score
            branches.append(
                MapBranch(
                    id=option.id,
                    text=option.text,
                    score=option.score,
                    feedback=option.feedback,
                    next=option.next,
                    best=(step_id, option.id) in on_best,
                    end_total=end_total,
                    end_percent=None
                    if end_total is None
                    else round(100 * max(0.0, min(1.0, end_total / best_score))),
                )
            )
        steps.append(
            MapStep(
                id=step.id,
                situation=step.situation,
                depth=depth[step_id],
                start=step_id == scenario.start,
                best=step_id in best_steps,
                best_from_here=best_from[step_id],
                branches=branches,
            )
        )
    drawing = ScenarioMap(steps=steps, best_score=best_score, best_path=best_path)
    _lay_out(drawing)
    return drawing


def _lines(text: str, count: int) -> list[str]:
    lines = textwrap.wrap(" ".join(text.split()), LINE_CHARACTERS) or [""]
    if len(lines) > count:
        lines = lines[:count]
        lines[-1] = lines[-1][: LINE_CHARACTERS - 1].rstrip() + "…"
    return lines


def _lay_out(drawing: ScenarioMap) -> None:
    """Place the steps and ends in rows by depth and draw a line for every branch."""
    # What each row holds: ("step", step id) or ("end", "step id/option id"), with what leads
    # to it (the keys of its parents).
    rows: dict[int, list[tuple[str, str]]] = {}
    parents: dict[str, list[str]] = {}
    for step in drawing.steps:
        rows.setdefault(step.depth, []).append(("step", step.id))
        for branch in step.branches:
            if branch.next:
                parents.setdefault(branch.next, []).append(step.id)
            else:
                key = f"{step.id}/{branch.id}"
                rows.setdefault(step.depth + 1, []).append(("end", key))
                parents[key] = [step.id]
    by_step = {s.id: s for s in drawing.steps}
    widest = max(len(row) for row in rows.values())
    x_of: dict[str, float] = {}
    nodes: dict[str, MapNode] = {}
    for row_number in sorted(rows):
        row = rows[row_number]
        if row_number > 0:
            # Order by where the parents stand (ties keep the authors' order).
            row = sorted(
                row,
                key=lambda entry: sum(x_of[p] for p in parents[entry[1]]) / len(parents[entry[1]]),
            )
        offset = (widest - len(row)) * COLUMN / 2
        for index, (kind, key) in enumerate(row):
            x = MARGIN + offset + index * COLUMN
            y = MARGIN + row_number * ROW
            if kind == "step":
                step = by_step[key]
                title = f"{'Start: ' if step.start else ''}step {step.id}"
                nodes[key] = MapNode(
                    key=key,
                    kind=kind,
                    x=x,
                    y=y,
                    width=NODE_WIDTH,
                    height=STEP_HEIGHT,
                    title=title,
                    lines=_lines(step.situation, 2),
                    best=step.best,
                    tooltip=step.situation[:300],
                )
            else:
                step_id, option_id = key.split("/", 1)
                branch = next(b for b in by_step[step_id].branches if b.id == option_id)
                nodes[key] = MapNode(
                    key=key,
                    kind=kind,
                    x=x,
                    y=y + (STEP_HEIGHT - END_HEIGHT) / 2,
                    width=NODE_WIDTH,
                    height=END_HEIGHT,
                    title="End",
                    lines=[f"at best {branch.end_percent} % of the points"],
                    best=branch.best,
                    tooltip=f"The case ends after option {branch.id} of step {step_id}.",
                )
            x_of[key] = x
    edges: list[MapEdge] = []
    for step in drawing.steps:
        source = nodes[step.id]
        count = len(step.branches)
        for index, branch in enumerate(step.branches):
            target = nodes[branch.next or f"{step.id}/{branch.id}"]
            x1 = source.x + source.width * (index + 1) / (count + 1)
            y1 = source.y + source.height
            x2 = target.center
            y2 = target.y
            middle = (y1 + y2) / 2
            edges.append(
                MapEdge(
                    path=f"M {x1:.1f} {y1:.1f} C {x1:.1f} {middle:.1f}, {x2:.1f} {middle:.1f}, "
                    f"{x2:.1f} {y2 - 4:.1f}",
                    label=f"{branch.id} {score_text(branch.score)}{' ★' if branch.best else ''}",
                    label_x=(x1 + x2) / 2,
                    label_y=middle + 4,
                    best=branch.best,
                )
            )
    # Best lines are drawn last, so they stay visible where lines cross.
    drawing.edges = sorted(edges, key=lambda e: e.best)
    drawing.nodes = list(nodes.values())
    drawing.width = 2 * MARGIN + widest * COLUMN - (COLUMN - NODE_WIDTH)
    drawing.height = 2 * MARGIN + max(rows) * ROW + STEP_HEIGHT
