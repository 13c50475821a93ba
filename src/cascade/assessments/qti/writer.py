"""Writing items as QTI 3.0 and a bank as a QTI 3.0 content package.

Each item becomes one `qti-assessment-item`: its prompt as paragraphs before the interaction, the
answer key as the response's correct response (and a mapping where credit is partial), the
item's points as the `MAXSCORE` outcome, and `SCORE` from 0 to `MAXSCORE`. Response processing
uses QTI's standard templates where they say exactly what Cascade does (`match_correct` for a
one-point right-or-wrong item, `map_response` for mapped credit) and otherwise standard
operators inline (`match`, `equal` with a tolerance, `mapResponse`), so any QTI 3.0 delivery
engine scores the item as Cascade does, except where noted in the item's warnings. Feedback of
an option is an inline feedback inside its choice; the explanation is a modal feedback; both
are shown through the `FEEDBACK` outcome, which response processing sets.

Scenario, configuration and evidence items have no QTI equivalent and are left out, each with
its reason.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cascade.assessments.qti import metadata
from cascade.assessments.qti.xml import (
    CASCADE,
    CP3,
    LOM,
    LOM_SCHEMA,
    QTI3,
    QTI3_CP_SCHEMA,
    QTI3_ITEM_SCHEMA,
    XSI,
    put_blocks,
    put_inline,
    serialized,
)

MATCH_CORRECT = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"
MAP_RESPONSE = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"
ITEM_RESOURCE = "imsqti_item_xmlv3p0"
EXPLANATION = "EXPLANATION"
# A fixed date for every entry, so that the same bank exports the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TITLE_LENGTH = 100

NOT_IN_QTI = {
    "scenario": (
        "A branching scenario (steps whose options score and lead on to other steps) has no "
        "QTI 3.0 equivalent."
    ),
    "configuration": (
        "A configuration exercise checks each field with its own rule and points; no QTI 3.0 "
        "interaction carries those rules."
    ),
    "evidence": (
        "Evidence is graded by a reviewer with a rubric; QTI 3.0 carries no scoring rubric to "
        "grade it with."
    ),
}


@dataclass(frozen=True)
class ItemToWrite:
    identifier: str
    definition: dict[str, Any]  # as stored: validated, defaults filled in
    points: Decimal
    difficulty: int
    competencies: tuple[tuple[str, str], ...] = ()  # (domain, competency)


@dataclass(frozen=True)
class Written:
    identifier: str
    title: str
    type: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Left:
    identifier: str
    title: str
    type: str
    reason: str


@dataclass(frozen=True)
class WrittenPackage:
    data: bytes
    written: list[Written]
    left: list[Left]


def title_of(definition: dict[str, Any]) -> str:
    """An item's title in a package: its prompt's first line, shortened (items have none)."""
    first = " ".join(str(definition.get("prompt", "")).strip().split("\n")[0].split())
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"


def number(value: Decimal | float) -> str:
    """A number as QTI writes it: no exponent where avoidable, no trailing zeros."""
    decimal = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = format(decimal.normalize(), "f")
    return text if text != "-0" else "0"


def _ncname(identifier: str) -> bool:
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", identifier) is not None


class _Item:
    """One QTI 3.0 item being written."""

    def __init__(self, identifier: str, title: str, points: Decimal) -> None:
        self.identifier = identifier
        self.title = title
        self.points = points
        self.prefix = ""
        self.feedback = False
        self.warnings: list[str] = []
        self.extension: dict[str, str] = {}
        self.patterns: list[metadata.Pattern] = []
        self.declaration = self._el("qti-response-declaration", identifier="RESPONSE")
        self.body = self._el("qti-item-body")
        self.processing = self._el("qti-response-processing")
        self.explanation: ET.Element | None = None

    @staticmethod
    def _el(name: str, parent: ET.Element | None = None, **attributes: str) -> ET.Element:
        attrs = {key.replace("_", "-"): value for key, value in attributes.items()}
        return ET.Element(name, attrs) if parent is None else ET.SubElement(parent, name, attrs)

    def use_identifiers(self, identifiers: Sequence[str]) -> None:
        """QTI identifiers must start with a letter or `_`; Cascade's may start with a digit.
        When one does, every identifier of the item gets a `_` prefix, which the extension
        records so that Cascade takes it off again."""
        if not all(_ncname(i) for i in identifiers):
            self.prefix = "_"
            self.extension["identifier-prefix"] = self.prefix

    def id(self, identifier: str) -> str:
        return self.prefix + identifier

    def respond(self, cardinality: str, base_type: str, correct: Sequence[str]) -> None:
        self.declaration.set("cardinality", cardinality)
        self.declaration.set("base-type", base_type)
        if correct:
            values = self._el("qti-correct-response", self.declaration)
            for value in correct:
                self._el("qti-value", values).text = value

    def map(
        self,
        entries: Sequence[tuple[str, Decimal]],
        *,
        lower: Decimal | None = Decimal(0),
        upper: Decimal | None = None,
        case_sensitive: Sequence[bool] | None = None,
    ) -> None:
        bounds = {"default_value": "0"}
        if lower is not None:
            bounds["lower_bound"] = number(lower)
        if upper is not None:
            bounds["upper_bound"] = number(upper)
        mapping = self._el("qti-mapping", self.declaration, **bounds)
        for index, (key, value) in enumerate(entries):
            entry = self._el("qti-map-entry", mapping, map_key=key, mapped_value=number(value))
            if case_sensitive is not None:
                entry.set("case-sensitive", "true" if case_sensitive[index] else "false")

    def prompt(self, text: str) -> None:
        put_blocks(self.body, text)

    def choice(self, parent: ET.Element, name: str, identifier: str, text: str) -> ET.Element:
        element = self._el(name, parent, identifier=self.id(identifier))
        put_inline(element, text)
        return element

    def option_feedback(self, choice: ET.Element, identifier: str, text: str) -> None:
        if text:
            self.feedback = True
            feedback = self._el(
                "qti-feedback-inline",
                choice,
                outcome_identifier="FEEDBACK",
                identifier=self.id(identifier),
                show_hide="show",
            )
            put_inline(feedback, text)

    def explain(self, text: str) -> None:
        if text:
            self.explanation = self._el(
                "qti-modal-feedback",
                outcome_identifier="FEEDBACK",
                identifier=EXPLANATION,
                show_hide="show",
            )
            put_blocks(self._el("qti-content-body", self.explanation), text)

    # --- response processing

    def _set_score(self, parent: ET.Element, value: ET.Element | None) -> None:
        setter = self._el("qti-set-outcome-value", parent, identifier="SCORE")
        if value is None:
            self._el("qti-base-value", setter, base_type="float").text = "0"
        else:
            setter.append(value)

    def _variable(self, identifier: str) -> ET.Element:
        return self._el("qti-variable", identifier=identifier)

    def score_when(self, condition: ET.Element | None = None) -> None:
        """All or nothing: `MAXSCORE` when the response is right (by default: it matches the
        correct response), else 0. The `match_correct` template when it says just that."""
        if condition is None and self.points == 1 and not self._has_feedback():
            self.processing.set("template", MATCH_CORRECT)
            return
        if condition is None:
            condition = self._el("qti-match")
            condition.append(self._variable("RESPONSE"))
            self._el("qti-correct", condition, identifier="RESPONSE")
        rule = self._el("qti-response-condition", self.processing)
        when = self._el("qti-response-if", rule)
        when.append(condition)
        self._set_score(when, self._variable("MAXSCORE"))
        self._set_score(self._el("qti-response-else", rule), None)

    def score_mapped(self, base: Decimal = Decimal(0)) -> None:
        """The mapped values of the response, plus `base`: the `map_response` template when
        there is no base to add."""
        if base == 0 and not self._has_feedback():
            self.processing.set("template", MAP_RESPONSE)
            return
        rule = self._el("qti-response-condition", self.processing)
        when = self._el("qti-response-if", rule)
        self._el("qti-is-null", when).append(self._variable("RESPONSE"))
        self._set_score(when, self._constant(base))
        otherwise = self._el("qti-response-else", rule)
        mapped = self._el("qti-map-response", identifier="RESPONSE")
        if base:
            total = self._el("qti-sum")
            total.append(self._constant(base))
            total.append(mapped)
            mapped = total
        self._set_score(otherwise, mapped)

    def _constant(self, value: Decimal) -> ET.Element:
        constant = self._el("qti-base-value", base_type="float")
        constant.text = number(value)
        return constant

    def _has_feedback(self) -> bool:
        return self.feedback or self.explanation is not None

    def _show_feedback(self, with_response: bool) -> None:
        shown = self._el("qti-multiple")
        if with_response:
            shown.append(self._variable("RESPONSE"))
        if self.explanation is not None:
            self._el("qti-base-value", shown, base_type="identifier").text = EXPLANATION
        self._el("qti-set-outcome-value", self.processing, identifier="FEEDBACK").append(shown)

    def document(self) -> bytes:
        root = self._el(
            "qti-assessment-item",
            identifier=self.identifier,
            title=self.title,
            adaptive="false",
            time_dependent="false",
        )
        root.set("xsi:schemaLocation", f"{QTI3} {QTI3_ITEM_SCHEMA}")
        root.append(self.declaration)
        for name, cardinality, base_type, default in (
            ("SCORE", "single", "float", "0"),
            ("MAXSCORE", "single", "float", number(self.points)),
        ):
            outcome = self._el(
                "qti-outcome-declaration",
                root,
                identifier=name,
                cardinality=cardinality,
                base_type=base_type,
            )
            self._el("qti-value", self._el("qti-default-value", outcome)).text = default
        if self._has_feedback():
            self._el(
                "qti-outcome-declaration",
                root,
                identifier="FEEDBACK",
                cardinality="multiple",
                base_type="identifier",
            )
            self._show_feedback(with_response=self.feedback)
        root.append(self.body)
        root.append(self.processing)
        if self.explanation is not None:
            root.append(self.explanation)
        return serialized(root, {"": QTI3, "xsi": XSI})


# --- the item types -----------------------------------------------------------------------------


def _share(points: Decimal, count: int) -> Decimal:
    """A share of the points, to ten decimals (a third of a point need not run to 28)."""
    return round(points / Decimal(count), 10)


def _choices(item: _Item, definition: dict[str, Any], *, multiple: bool) -> None:
    options = definition["options"]
    item.use_identifiers([o["id"] for o in options])
    correct = [item.id(o["id"]) for o in options if o["correct"]]
    item.respond("multiple" if multiple else "single", "identifier", correct)
    item.prompt(definition["prompt"])
    interaction = item._el(
        "qti-choice-interaction",
        item.body,
        response_identifier="RESPONSE",
        shuffle="true" if definition["shuffle"] else "false",
        max_choices="0" if multiple else "1",
    )
    for option in options:
        choice = item.choice(interaction, "qti-simple-choice", option["id"], option["text"])
        item.option_feedback(choice, option["id"], option["feedback"])
    item.explain(definition["explanation"])
    if not multiple:
        item.score_when()
        return
    policy = definition["partial_credit"]
    item.extension["partial-credit"] = policy
    right = [o for o in options if o["correct"]]
    wrong = [o for o in options if not o["correct"]]
    if policy == "all_or_nothing":
        item.score_when()
    elif policy == "right_minus_wrong":
        # The share of right options chosen, less the share of wrong ones, never below 0.
        item.map(
            [(item.id(o["id"]), _share(item.points, len(right))) for o in right]
            + [(item.id(o["id"]), -_share(item.points, len(wrong))) for o in wrong],
            upper=item.points,
        )
        item.score_mapped()
    else:
        # The share of options classified right: every wrong option counts as right until
        # it is chosen, so the score starts from their share and each choice moves it.
        step = _share(item.points, len(options))
        item.map(
            [(item.id(o["id"]), step) for o in right] + [(item.id(o["id"]), -step) for o in wrong],
            lower=None,
        )
        item.score_mapped(base=step * len(wrong))


def _true_false(item: _Item, definition: dict[str, Any]) -> None:
    item.respond("single", "identifier", ["true" if definition["statement_is_true"] else "false"])
    item.prompt(definition["prompt"])
    interaction = item._el(
        "qti-choice-interaction",
        item.body,
        response_identifier="RESPONSE",
        shuffle="false",
        max_choices="1",
    )
    for identifier, text, feedback in (
        ("true", "True", definition["feedback_true"]),
        ("false", "False", definition["feedback_false"]),
    ):
        item.option_feedback(
            item.choice(interaction, "qti-simple-choice", identifier, text), identifier, feedback
        )
    item.explain(definition["explanation"])
    item.score_when()


def _answer_block(item: _Item, unit: str = "") -> None:
    """The text entry in a paragraph of its own, marked so that a reader tells it from the
    prompt, with the unit after it."""
    paragraph = item._el("p", item.body)
    paragraph.set("class", "cascade-answer")
    entry = item._el(
        "qti-text-entry-interaction",
        paragraph,
        response_identifier="RESPONSE",
        expected_length="20",
    )
    if unit:
        entry.tail = " "
        span = item._el("span", paragraph)
        span.set("class", "cascade-unit")
        span.text = unit


def _numeric(item: _Item, definition: dict[str, Any]) -> None:
    item.respond("single", "float", [number(definition["answer"])])
    item.prompt(definition["prompt"])
    _answer_block(item, definition["unit"])
    item.explain(definition["explanation"])
    tolerance = Decimal(repr(float(definition["tolerance"])))
    if tolerance == 0:
        attributes = {"tolerance_mode": "exact"}
    elif definition["relative"]:
        # QTI's relative tolerance is a percentage of the correct value; Cascade's a share.
        share = number(tolerance * 100)
        attributes = {"tolerance_mode": "relative", "tolerance": f"{share} {share}"}
    else:
        width = number(tolerance)
        attributes = {"tolerance_mode": "absolute", "tolerance": f"{width} {width}"}
    equal = item._el("qti-equal", None, **attributes)
    equal.append(item._variable("RESPONSE"))
    item._el("qti-correct", equal, identifier="RESPONSE")
    item.score_when(equal)


def _short_text(item: _Item, definition: dict[str, Any]) -> None:
    accepted = definition["accepted"]
    exact = [a for a in accepted if a["match"] == "exact"]
    full = [a["value"] for a in exact if a["credit"] == 1]
    item.respond("single", "string", full[:1])
    item.map(
        [(a["value"], Decimal(repr(float(a["credit"]))) * item.points) for a in exact],
        upper=item.points,
        case_sensitive=[a["case_sensitive"] for a in exact],
    )
    for position, answer in enumerate(accepted):
        if answer["match"] == "pattern":
            item.patterns.append(
                metadata.Pattern(
                    position=position,
                    value=answer["value"],
                    credit=float(answer["credit"]),
                    case_sensitive=answer["case_sensitive"],
                )
            )
    if item.patterns:
        item.warnings.append(
            "Accepted answers that are patterns are kept for Cascade only: QTI mappings hold "
            "exact answers, so other QTI tools score the exact ones."
        )
    item.prompt(definition["prompt"])
    _answer_block(item)
    item.explain(definition["explanation"])
    item.score_mapped()


def _ordering(item: _Item, definition: dict[str, Any]) -> None:
    steps = definition["steps"]
    item.use_identifiers([s["id"] for s in steps])
    item.respond("ordered", "identifier", [item.id(s["id"]) for s in steps])
    item.prompt(definition["prompt"])
    interaction = item._el(
        "qti-order-interaction", item.body, response_identifier="RESPONSE", shuffle="true"
    )
    # Written sorted by identifier: the document order must not give the key away.
    for step in sorted(steps, key=lambda s: s["id"]):
        item.choice(interaction, "qti-simple-choice", step["id"], step["text"])
    item.explain(definition["explanation"])
    item.extension["partial"] = "true" if definition["partial"] else "false"
    if definition["partial"]:
        item.warnings.append(
            "Partial credit for pairs of steps in the right order is Cascade's own: other QTI "
            "tools score this item all or nothing."
        )
    item.score_when()


def _matching(item: _Item, definition: dict[str, Any]) -> None:
    prompts, responses, key = definition["prompts"], definition["responses"], definition["key"]
    item.use_identifiers([p["id"] for p in prompts] + [r["id"] for r in responses])
    pairs = [f"{item.id(p['id'])} {item.id(key[p['id']])}" for p in prompts]
    item.respond("multiple", "directedPair", pairs)
    item.prompt(definition["prompt"])
    interaction = item._el(
        "qti-match-interaction",
        item.body,
        response_identifier="RESPONSE",
        shuffle="true",
        max_associations=str(len(prompts)),
    )
    sources = item._el("qti-simple-match-set", interaction)
    for prompt in prompts:
        item.choice(sources, "qti-simple-associable-choice", prompt["id"], prompt["text"]).set(
            "match-max", "1"
        )
    targets = item._el("qti-simple-match-set", interaction)
    for response in sorted(responses, key=lambda r: r["id"]):
        # A response may be the right one for several prompts: no limit on its matches.
        item.choice(targets, "qti-simple-associable-choice", response["id"], response["text"]).set(
            "match-max", "0"
        )
    item.explain(definition["explanation"])
    item.extension["partial"] = "true" if definition["partial"] else "false"
    if definition["partial"]:
        share = _share(item.points, len(prompts))
        item.map([(pair, share) for pair in pairs], upper=item.points)
        item.score_mapped()
    else:
        item.score_when()


WRITERS = {
    "single_choice": lambda item, d: _choices(item, d, multiple=False),
    "multiple_response": lambda item, d: _choices(item, d, multiple=True),
    "true_false": _true_false,
    "numeric": _numeric,
    "short_text": _short_text,
    "ordering": _ordering,
    "matching": _matching,
}


def write_item(item: ItemToWrite) -> tuple[bytes, Written, ET.Element | None] | Left:
    """The item as a QTI 3.0 document, with what the manifest says of it; or why it is left
    out."""
    kind = item.definition["type"]
    title = title_of(item.definition)
    if kind in NOT_IN_QTI:
        return Left(item.identifier, title, kind, NOT_IN_QTI[kind])
    if kind == "short_text" and not any(a["match"] == "exact" for a in item.definition["accepted"]):
        return Left(
            item.identifier,
            title,
            kind,
            "Every accepted answer is a pattern, and a QTI mapping holds exact answers only: "
            "other tools could not score it.",
        )
    writing = _Item(item.identifier, title, item.points)
    WRITERS[kind](writing, item.definition)
    writing.extension["type"] = kind
    extension = metadata.extension(writing.extension, writing.patterns)
    return (
        writing.document(),
        Written(item.identifier, title, kind, tuple(writing.warnings)),
        extension,
    )


def _manifest(
    identifier: str,
    title: str,
    resources: Sequence[tuple[ItemToWrite, Written, ET.Element | None]],
) -> bytes:
    def el(
        parent: ET.Element | None, name: str, text: str | None = None, **attrs: str
    ) -> ET.Element:
        element = ET.Element(name, attrs) if parent is None else ET.SubElement(parent, name, attrs)
        if text is not None:
            element.text = text
        return element

    root = el(None, "manifest", identifier=identifier)
    root.set("xsi:schemaLocation", f"{CP3} {QTI3_CP_SCHEMA} {LOM} {LOM_SCHEMA}")
    package = el(root, "metadata")
    el(package, "schema", "QTI Package")
    el(package, "schemaversion", "3.0.0")
    package.append(metadata.lom(title=title))
    el(root, "organizations")
    listed = el(root, "resources")
    for item, written, extension in resources:
        href = f"items/{item.identifier}.xml"
        resource = el(listed, "resource", identifier=item.identifier, type=ITEM_RESOURCE, href=href)
        about = el(resource, "metadata")
        about.append(
            metadata.lom(
                title=written.title, difficulty=item.difficulty, competencies=item.competencies
            )
        )
        if extension is not None:
            about.append(extension)
        el(resource, "file", href=href)
    return serialized(root, {"": CP3, "imsmd": LOM, "xsi": XSI, "cascade": CASCADE})


def _entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def write_package(*, identifier: str, title: str, items: Sequence[ItemToWrite]) -> WrittenPackage:
    """A QTI 3.0 content package (a zip: `imsmanifest.xml` and `items/<identifier>.xml`)."""
    documents: list[tuple[str, bytes]] = []
    resources: list[tuple[ItemToWrite, Written, ET.Element | None]] = []
    written: list[Written] = []
    left: list[Left] = []
    for item in items:
        result = write_item(item)
        if isinstance(result, Left):
            left.append(result)
            continue
        document, report, extension = result
        documents.append((f"items/{item.identifier}.xml", document))
        resources.append((item, report, extension))
        written.append(report)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _entry(archive, "imsmanifest.xml", _manifest(identifier, title, resources))
        for name, document in documents:
            _entry(archive, name, document)
    return WrittenPackage(buffer.getvalue(), written, left)
