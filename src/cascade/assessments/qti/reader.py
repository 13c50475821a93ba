"""Reading QTI 2.1, 2.2 and 3.0 items into Cascade definitions.

An item is read when its one interaction is one Cascade has a type for:

| QTI | Cascade |
| --- | --- |
| choice, single cardinality | single choice (true/false when its choices are `true` and `false`) |
| choice, multiple cardinality | multiple response |
| text entry, float or integer | numeric (tolerance from `equal`) |
| text entry, string | short text (accepted answers from the mapping, or the correct response) |
| order | ordering |
| match (directed pairs) | matching |

Scoring is read from the response declaration (correct response, mapping) and the response
processing: a standard template (`match_correct`, `map_response`, Common Cartridge's) or the
operators Cascade writes itself. What Cascade cannot score the same way is said in the item's
warnings, with the closest Cascade policy that was chosen. Anything else (other interactions,
several interactions, items generated from templates, adaptive items) is skipped with its
reason: it is not an error, the rest of the package is imported.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from cascade.assessments.items import DefinitionInvalid, item_definition
from cascade.assessments.qti.metadata import ItemMetadata
from cascade.assessments.qti.xml import (
    BLOCKS,
    PackageInvalid,
    child,
    children,
    descendants,
    local,
    media_in,
    normalized,
    small_number,
    text_of,
)

MAX_POINTS = Decimal(1000)
MATCH_TEMPLATES = {"match_correct", "cc2_match", "cc2_match_basic"}
MAP_TEMPLATES = {"map_response", "cc2_map_response"}
FEEDBACK_ELEMENTS = {"qti-feedback-inline", "qti-feedback-block", "qti-modal-feedback"}
HIDDEN_ELEMENTS = FEEDBACK_ELEMENTS | {
    "qti-rubric-block",
    "qti-template-block",
    "qti-template-inline",
    "qti-printed-variable",
}
# Written where a learner types a word inside a sentence, when the sentence is the prompt.
BLANK = "____"

NO_TYPE_FOR = {
    "qti-associate-interaction": "an associate interaction (pairs without a direction)",
    "qti-gap-match-interaction": "a gap match interaction",
    "qti-inline-choice-interaction": "an inline choice interaction",
    "qti-hottext-interaction": "a hot text interaction",
    "qti-hotspot-interaction": "a hotspot interaction",
    "qti-graphic-order-interaction": "a graphic order interaction",
    "qti-graphic-associate-interaction": "a graphic associate interaction",
    "qti-graphic-gap-match-interaction": "a graphic gap match interaction",
    "qti-select-point-interaction": "a select point interaction",
    "qti-position-object-interaction": "a position object interaction",
    "qti-slider-interaction": "a slider interaction",
    "qti-drawing-interaction": "a drawing interaction",
    "qti-media-interaction": "a media interaction",
    "qti-custom-interaction": "a custom interaction",
    "qti-portable-custom-interaction": "a portable custom interaction",
    "qti-end-attempt-interaction": "an end attempt interaction",
}
GRADED_BY_PEOPLE = {
    "qti-extended-text-interaction": "an extended text (essay) interaction",
    "qti-upload-interaction": "an upload interaction",
}


@dataclass(frozen=True)
class ReadItem:
    """An item of the package as a Cascade definition (validated), with its tags."""

    identifier: str
    title: str
    definition: dict[str, Any]
    points: Decimal
    difficulty: int | None
    competencies: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Unread:
    """An item of the package Cascade cannot hold, and why."""

    identifier: str
    title: str
    reason: str


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _decimal(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("true", "1")


@dataclass(frozen=True)
class _Entry:
    key: str
    value: Decimal
    case_sensitive: bool


class _ItemReader:
    def __init__(self, root: ET.Element, about: ItemMetadata) -> None:
        self.root = root
        self.about = about
        self.extension = about.extension
        self.prefix = self.extension.get("identifier-prefix", "")
        self.warnings: list[str] = []

    # --- the parts of an item

    def id(self, identifier: str | None) -> str:
        identifier = (identifier or "").strip()
        if self.prefix and identifier.startswith(self.prefix):
            return identifier[len(self.prefix) :]
        return identifier

    def declaration(self, identifier: str | None) -> ET.Element:
        for declaration in children(self.root, "qti-response-declaration"):
            if declaration.get("identifier") == identifier:
                return declaration
        raise _Skip(f"Its interaction answers a response ({identifier}) the item does not declare.")

    @staticmethod
    def correct(declaration: ET.Element) -> list[str]:
        values = children(child(declaration, "qti-correct-response"), "qti-value")
        return [" ".join((v.text or "").split()) for v in values]

    @staticmethod
    def mapping(declaration: ET.Element) -> tuple[list[_Entry], Decimal | None]:
        """The mapping's entries in document order, and its upper bound."""
        mapping = child(declaration, "qti-mapping")
        if mapping is None:
            return [], None
        entries = []
        for entry in children(mapping, "qti-map-entry"):
            value = _decimal(entry.get("mapped-value"))
            if value is not None:
                # QTI compares strings with their case unless a map entry says otherwise.
                entries.append(
                    _Entry(
                        entry.get("map-key", ""),
                        value,
                        _flag(entry.get("case-sensitive"), True),
                    )
                )
        return entries, _decimal(mapping.get("upper-bound"))

    def scoring(self) -> str:
        """How the item is scored: `match` (the correct response, all or nothing), `map` (the
        mapping), or `other` (none, or rules Cascade does not read: it then scores on the
        correct response, and says so)."""
        processing = child(self.root, "qti-response-processing")
        if processing is None:
            self.warnings.append(
                "It has no response processing: Cascade scores it on its correct response."
            )
            return "other"
        template = processing.get("template") or processing.get("template-location") or ""
        name = template.rstrip("/").rsplit("/", 1)[-1].removesuffix(".xml").lower()
        if name in MATCH_TEMPLATES:
            return "match"
        if name in MAP_TEMPLATES:
            return "map"
        if not name and descendants(processing, "qti-map-response"):
            return "map"
        if not name and descendants(processing, "qti-correct"):
            return "match"
        self.warnings.append(
            f"Its response processing ({name or 'custom rules'}) is not one Cascade reads: "
            "Cascade scores it on its correct response."
        )
        return "other"

    def max_score(self, fallback: Decimal | None) -> Decimal:
        """The item's points: its MAXSCORE outcome, else what its mapping can earn, else 1."""
        points = None
        for outcome in children(self.root, "qti-outcome-declaration"):
            if outcome.get("identifier") == "MAXSCORE":
                values = children(child(outcome, "qti-default-value"), "qti-value")
                points = _decimal(values[0].text) if values else None
        if points is None:
            points = fallback if fallback is not None and fallback > 0 else Decimal(1)
        if not 0 < points <= MAX_POINTS:
            raise _Skip(
                f"Its maximum score ({points}) is outside what Cascade accepts: above 0 and at "
                f"most {MAX_POINTS}."
            )
        quantized = points.quantize(Decimal("0.01"))
        if quantized != points:
            self.warnings.append(f"Its maximum score {points} is rounded to {quantized}.")
        return quantized

    def prompt(self, body: ET.Element, interaction: ET.Element) -> str:
        """The item body's text without the interaction's choices and without feedback; the
        interaction's own prompt where it stands. A text entry inside a sentence stays there as
        a blank, unless Cascade wrote it in a paragraph of its own."""

        # A text entry alone in its paragraph is no blank in a sentence: nothing stands there.
        blank = BLANK
        if interaction.tag == "qti-text-entry-interaction":
            parents = {c: p for p in body.iter() for c in p}
            block = parents.get(interaction)
            while block is not None and block is not body and block.tag not in BLOCKS:
                block = parents.get(block)
            if block is not None and not text_of(
                block, lambda e: "" if e is interaction or e.tag in HIDDEN_ELEMENTS else None
            ):
                blank = ""

        def replace(element: ET.Element) -> str | ET.Element | None:
            if element is interaction:
                if element.tag == "qti-text-entry-interaction":
                    return blank
                own_prompt = child(element, "qti-prompt")
                return "" if own_prompt is None else own_prompt
            if element.tag in HIDDEN_ELEMENTS or "cascade-answer" in element.get("class", ""):
                return ""
            return None

        left_out = media_in(body)
        if left_out:
            self.warnings.append(
                f"Left out (Cascade items hold text): {', '.join(sorted(set(left_out)))}."
            )
        return text_of(body, replace)

    def feedback(self, choices: list[ET.Element]) -> tuple[dict[str, str], str]:
        """Each choice's feedback (inline in the choice, or a modal feedback named after it)
        and the explanation (the modal feedback Cascade names EXPLANATION)."""
        by_choice: dict[str, str] = {}
        for choice in choices:
            shown = [
                text_of(f)
                for f in descendants(choice, "qti-feedback-inline")
                if f.get("show-hide", "show") == "show"
            ]
            if any(shown):
                by_choice[self.id(choice.get("identifier"))] = "\n\n".join(t for t in shown if t)
        explanation = []
        for modal in children(self.root, "qti-modal-feedback"):
            name = modal.get("identifier", "")
            if name == "EXPLANATION":
                explanation.append(text_of(modal))
            elif modal.get("show-hide", "show") == "show" and self.id(name) in {
                self.id(c.get("identifier")) for c in choices
            }:
                by_choice.setdefault(self.id(name), text_of(modal))
            else:
                self.warnings.append(
                    f"Feedback shown on outcome {modal.get('outcome-identifier', '?')}={name} "
                    "was left out: Cascade shows feedback by chosen option or always."
                )
        for block in descendants(child(self.root, "qti-item-body"), "qti-feedback-block"):
            self.warnings.append(
                f"A feedback block ({block.get('identifier', '?')}) in the item body was left out."
            )
        return by_choice, "\n\n".join(t for t in explanation if t)

    def text(self, element: ET.Element) -> str:
        return text_of(element, lambda e: "" if e.tag in HIDDEN_ELEMENTS else None)

    # --- the whole item

    def read(self) -> tuple[dict[str, Any], Decimal]:
        if children(self.root, "qti-template-declaration") or child(
            self.root, "qti-template-processing"
        ):
            raise _Skip(
                "It generates values from templates (a cloned item); Cascade items are fixed."
            )
        if _flag(self.root.get("adaptive"), False):
            raise _Skip("It is adaptive (it changes as the candidate answers); Cascade's are not.")
        body = child(self.root, "qti-item-body")
        if body is None:
            raise _Skip("It has no item body.")
        interactions = [
            e
            for e in body.iter()
            if isinstance(e.tag, str)
            and e.tag.startswith("qti-")
            and e.tag.endswith("-interaction")
        ]
        if not interactions:
            raise _Skip("It has no interaction: nothing to answer.")
        if len(interactions) > 1:
            raise _Skip(
                f"It has {len(interactions)} interactions; a Cascade item asks one question."
            )
        (interaction,) = interactions
        kind = interaction.tag
        if kind in GRADED_BY_PEOPLE:
            raise _Skip(
                f"It uses {GRADED_BY_PEOPLE[kind]}: Cascade grades written and uploaded work as "
                "evidence with a rubric, which QTI does not carry."
            )
        if kind in NO_TYPE_FOR:
            raise _Skip(f"It uses {NO_TYPE_FOR[kind]}, which no Cascade item type answers.")
        declaration = self.declaration(interaction.get("response-identifier"))
        prompt = self.prompt(body, interaction)
        match kind:
            case "qti-choice-interaction":
                definition, points = self.choice(interaction, declaration)
            case "qti-text-entry-interaction":
                definition, points = self.text_entry(interaction, declaration)
            case "qti-order-interaction":
                definition, points = self.ordering(interaction, declaration)
            case "qti-match-interaction":
                definition, points = self.matching(interaction, declaration)
            case _:
                raise _Skip(f"It uses a {local(kind)}, which no Cascade item type answers.")
        return {"prompt": prompt, **definition}, points

    # --- choices

    def choice(
        self, interaction: ET.Element, declaration: ET.Element
    ) -> tuple[dict[str, Any], Decimal]:
        choices = children(interaction, "qti-simple-choice")
        ids = [self.id(c.get("identifier")) for c in choices]
        feedback, explanation = self.feedback(choices)
        scoring = self.scoring()
        entries, upper = self.mapping(declaration)
        values = {self.id(e.key): e.value for e in entries}
        correct = [self.id(v) for v in self.correct(declaration)]
        multiple = declaration.get("cardinality") == "multiple"
        if not correct and entries:
            positive = [key for key, value in values.items() if value > 0]
            best = max(values, key=lambda key: values[key])
            correct = positive if multiple else [best]
        options = [
            {
                "id": identifier,
                "text": self.text(choice),
                "correct": identifier in correct,
                "feedback": feedback.get(identifier, ""),
            }
            for identifier, choice in zip(ids, choices, strict=True)
        ]
        common = {"explanation": explanation, "shuffle": _flag(interaction.get("shuffle"), False)}
        if not multiple:
            return self.single(options, correct, values, scoring, common)
        return self.multiple(interaction, options, values, upper, scoring, common)

    def single(
        self,
        options: list[dict[str, Any]],
        correct: list[str],
        values: dict[str, Decimal],
        scoring: str,
        common: dict[str, Any],
    ) -> tuple[dict[str, Any], Decimal]:
        if len(correct) != 1:
            raise _Skip("It has no single correct choice.")
        (right,) = correct
        partly = sorted(k for k, v in values.items() if v > 0 and k != right)
        if scoring == "map" and partly:
            self.warnings.append(
                f"Partial credit for {', '.join(partly)} was left out: a Cascade single choice "
                "is right or wrong."
            )
        points = self.max_score(values.get(right))
        ids = {o["id"].lower() for o in options}
        if ids == {"true", "false"} and self.extension.get("type") != "single_choice":
            by_id = {o["id"].lower(): o for o in options}
            return {
                "type": "true_false",
                "statement_is_true": right.lower() == "true",
                "feedback_true": by_id["true"]["feedback"],
                "feedback_false": by_id["false"]["feedback"],
                "explanation": common["explanation"],
            }, points
        return {"type": "single_choice", "options": options, **common}, points

    def multiple(
        self,
        interaction: ET.Element,
        options: list[dict[str, Any]],
        values: dict[str, Decimal],
        upper: Decimal | None,
        scoring: str,
        common: dict[str, Any],
    ) -> tuple[dict[str, Any], Decimal]:
        positive = sum((v for v in values.values() if v > 0), Decimal(0))
        points = self.max_score(min(positive, upper) if upper is not None else positive)
        right = [o["id"] for o in options if o["correct"]]
        wrong = [o["id"] for o in options if not o["correct"]]
        policy = self.extension.get("partial-credit")
        if policy not in ("all_or_nothing", "right_minus_wrong", "per_option"):
            policy = "right_minus_wrong" if scoring == "map" else "all_or_nothing"
            if scoring == "map" and not self._right_minus_wrong(values, right, wrong, points):
                self.warnings.append(
                    "Its mapping is scored as right minus wrong, the closest Cascade policy: "
                    "the share of right options chosen less the share of wrong ones, never below "
                    "zero."
                )
        limit = small_number(interaction.get("max-choices"), default=0)
        if 0 < limit < len(options):
            self.warnings.append(
                f"Its limit of {limit} choices is not kept: a learner may choose any number."
            )
        return {
            "type": "multiple_response",
            "options": options,
            "partial_credit": policy,
            **common,
        }, points

    @staticmethod
    def _right_minus_wrong(
        values: dict[str, Decimal], right: list[str], wrong: list[str], points: Decimal
    ) -> bool:
        def near(value: Decimal | None, wanted: Decimal) -> bool:
            return value is not None and abs(value - wanted) <= Decimal("0.0001") * points

        return all(near(values.get(i), points / len(right)) for i in right) and all(
            near(values.get(i), -points / len(wrong)) for i in wrong
        )

    # --- text entry

    def _answer_block(self, interaction: ET.Element) -> ET.Element | None:
        parents = {c: p for p in self.root.iter() for c in p}
        parent = parents.get(interaction)
        if parent is not None and "cascade-answer" in parent.get("class", ""):
            return parent
        return None

    def text_entry(
        self, interaction: ET.Element, declaration: ET.Element
    ) -> tuple[dict[str, Any], Decimal]:
        _, explanation = self.feedback([])
        base_type = declaration.get("base-type")
        if declaration.get("cardinality", "single") != "single":
            raise _Skip("Its text entry expects several values; Cascade expects one.")
        if base_type in ("float", "integer"):
            return self.numeric(interaction, declaration, explanation)
        if base_type == "string":
            return self.short_text(declaration, explanation)
        raise _Skip(f"Its text entry expects a {base_type} value, which Cascade cannot check.")

    def numeric(
        self, interaction: ET.Element, declaration: ET.Element, explanation: str
    ) -> tuple[dict[str, Any], Decimal]:
        scoring = self.scoring()
        entries, _ = self.mapping(declaration)
        correct = self.correct(declaration)
        answer = _decimal(correct[0]) if correct else None
        mapped_best = max(entries, key=lambda e: e.value) if entries else None
        if answer is None and mapped_best is not None:
            answer = _decimal(mapped_best.key)
        if answer is None:
            raise _Skip("It has no correct number.")
        if scoring == "map" and len(entries) > 1:
            self.warnings.append(
                f"Only the best mapped number ({number_text(answer)}) is kept as the answer."
            )
        tolerance, relative = Decimal(0), False
        processing = child(self.root, "qti-response-processing")
        equal = descendants(processing, "qti-equal")
        if equal:
            mode = equal[0].get("tolerance-mode", "exact")
            widths = [_decimal(t) for t in equal[0].get("tolerance", "").split()]
            known = [w for w in widths if w is not None and w >= 0]
            if mode in ("absolute", "relative") and known:
                tolerance = max(known)
                if len(set(known)) > 1:
                    self.warnings.append(
                        f"Its tolerance below and above the answer differ; Cascade uses the "
                        f"wider ({number_text(tolerance)}) on both sides."
                    )
                if mode == "relative":
                    # QTI's relative tolerance is a percentage; Cascade's a share.
                    tolerance, relative = tolerance / 100, True
        if not math.isfinite(float(tolerance)):
            raise _Skip("Its tolerance is not a number Cascade can use.")
        elif descendants(processing, "qti-equal-rounded"):
            self.warnings.append("Its rounding before comparing is not kept: Cascade compares.")
        block = self._answer_block(interaction)
        unit = ""
        if block is not None:
            unit = " ".join(
                text_of(span)
                for span in block.iter("span")
                if "cascade-unit" in span.get("class", "")
            )
        points = self.max_score(mapped_best.value if mapped_best is not None else None)
        return {
            "type": "numeric",
            "answer": float(answer),
            "tolerance": float(tolerance),
            "relative": relative,
            "unit": unit,
            "explanation": explanation,
        }, points

    def short_text(
        self, declaration: ET.Element, explanation: str
    ) -> tuple[dict[str, Any], Decimal]:
        scoring = self.scoring()
        entries, upper = self.mapping(declaration)
        best = max((e.value for e in entries), default=None)
        points = self.max_score(min(best, upper) if best is not None and upper else best)
        accepted: list[dict[str, Any]] = []
        if entries and scoring != "match":
            for entry in entries:
                if entry.value <= 0:
                    if entry.value < 0:
                        self.warnings.append(
                            f"The penalty for “{entry.key}” was left out: Cascade gives 0."
                        )
                    continue
                credit = entry.value / points
                if credit > 1:
                    self.warnings.append(f"“{entry.key}” earns at most the item's points.")
                    credit = Decimal(1)
                accepted.append(
                    {
                        "match": "exact",
                        "value": entry.key,
                        "case_sensitive": entry.case_sensitive,
                        "credit": float(credit),
                    }
                )
        else:
            accepted = [
                {"match": "exact", "value": value, "case_sensitive": True, "credit": 1.0}
                for value in self.correct(declaration)
                if value
            ]
        for pattern in self.about.patterns:
            accepted.insert(
                min(pattern.position, len(accepted)),
                {
                    "match": "pattern",
                    "value": pattern.value,
                    "case_sensitive": pattern.case_sensitive,
                    "credit": pattern.credit,
                },
            )
        if not accepted:
            raise _Skip("It accepts no answer: neither a correct response nor a mapping.")
        return {"type": "short_text", "accepted": accepted, "explanation": explanation}, points

    # --- arranging

    def ordering(
        self, interaction: ET.Element, declaration: ET.Element
    ) -> tuple[dict[str, Any], Decimal]:
        _, explanation = self.feedback([])
        scoring = self.scoring()
        texts = {
            self.id(c.get("identifier")): self.text(c)
            for c in children(interaction, "qti-simple-choice")
        }
        order = [self.id(v) for v in self.correct(declaration)]
        if not order:
            raise _Skip("It has no correct order.")
        if sorted(order) != sorted(texts):
            raise _Skip("Its correct order leaves steps out; Cascade orders every step.")
        partial = self.extension.get("partial") == "true"
        if scoring == "map":
            self.warnings.append(
                "Its mapping is not read: Cascade scores the order all or nothing."
            )
        return {
            "type": "ordering",
            "steps": [{"id": step, "text": texts[step]} for step in order],
            "partial": partial,
            "explanation": explanation,
        }, self.max_score(None)

    def matching(
        self, interaction: ET.Element, declaration: ET.Element
    ) -> tuple[dict[str, Any], Decimal]:
        _, explanation = self.feedback([])
        scoring = self.scoring()
        sets = children(interaction, "qti-simple-match-set")
        if len(sets) != 2:
            raise _Skip("Its match interaction does not have two sets to match.")
        prompts, responses = (
            [
                {"id": self.id(c.get("identifier")), "text": self.text(c)}
                for c in children(one, "qti-simple-associable-choice")
            ]
            for one in sets
        )
        prompt_ids = {p["id"] for p in prompts}
        key: dict[str, str] = {}
        for pair in self.correct(declaration):
            source, _, target = (self.id(part) for part in pair.partition(" "))
            if source not in prompt_ids and target in prompt_ids:
                source, target = target, source
            if source in key:
                raise _Skip(
                    f"Prompt {source} has more than one right response; in Cascade each prompt "
                    "has one."
                )
            key[source] = target
        entries, upper = self.mapping(declaration)
        positive = sum((e.value for e in entries if e.value > 0), Decimal(0))
        points = self.max_score(min(positive, upper) if upper is not None else positive)
        if "partial" in self.extension:
            partial = self.extension["partial"] == "true"
        else:
            partial = scoring == "map"
            share = points / len(key) if key else Decimal(0)
            even = all(abs(e.value - share) <= Decimal("0.0001") * points for e in entries)
            if partial and not even:
                self.warnings.append(
                    "Its mapping is scored as the share of prompts matched right, the closest "
                    "Cascade policy."
                )
        return {
            "type": "matching",
            "prompts": prompts,
            "responses": responses,
            "key": key,
            "partial": partial,
            "explanation": explanation,
        }, points


def number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def read_item(root: ET.Element, *, where: str, about: ItemMetadata) -> ReadItem | Unread:
    """The item of `root` (a parsed QTI 2.1, 2.2 or 3.0 item), or why Cascade cannot hold it."""
    root = normalized(root)
    if root.tag != "qti-assessment-item":
        raise PackageInvalid(
            f"{where} is not a QTI 2.1, 2.2 or 3.0 assessment item (its root element is "
            f"{local(root.tag)})."
        )
    identifier = (root.get("identifier") or where).strip()
    title = " ".join((root.get("title") or "").split())
    reader = _ItemReader(root, about)
    try:
        data, points = reader.read()
    except _Skip as skip:
        return Unread(identifier, title, skip.reason)
    try:
        definition = item_definition(data).model_dump(mode="json")
    except DefinitionInvalid as exc:
        return Unread(identifier, title, f"It does not make a valid Cascade item: {exc}")
    return ReadItem(
        identifier=identifier,
        title=title,
        definition=definition,
        points=points,
        difficulty=about.difficulty,
        competencies=about.competencies,
        warnings=tuple(reader.warnings),
    )
