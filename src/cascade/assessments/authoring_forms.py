"""Forms of the assessment authoring pages.

The **item editor** turns what an author types into an item definition, and puts each error the
definition gets back beside the input it concerns, in plain words. The common types have a
structured editor (options, accepted answers, steps and pairs as rows of inputs); scenarios,
configuration exercises and evidence are written as JSON under their prompt, and each of their
errors says where it is ("Step logs → option 2 → next"). The definition itself is validated by
the item types (`cascade.assessments.items`) through the services, never here: the editor only
collects the author's input.

Field names follow the services' argument names where they can (`name`, `points`,
`difficulty`, `note`...), so that a domain error about a field lands beside it.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from cascade.assessments.items.base import MAX_OPTIONS
from cascade.assessments.models import Difficulty, ExamMode, FeedbackPolicy
from cascade.identity.forms import PageForm

Choices = list[tuple[str, str]]
GroupedChoices = list[tuple[str, Choices]]


@dataclass(frozen=True)
class ItemType:
    name: str
    label: str
    summary: str
    # "rows": a structured editor; "json": the type's details written as JSON.
    editor: str


ITEM_TYPES: dict[str, ItemType] = {
    t.name: t
    for t in (
        ItemType("single_choice", "Single choice", "One correct option among several.", "rows"),
        ItemType(
            "multiple_response",
            "Multiple response",
            "Several correct options, with partial credit if you want it.",
            "rows",
        ),
        ItemType("true_false", "True or false", "A statement the learner judges.", "rows"),
        ItemType("numeric", "Numeric", "A number, right within a tolerance.", "rows"),
        ItemType(
            "short_text",
            "Short text",
            "A typed answer, matched against accepted answers or patterns.",
            "rows",
        ),
        ItemType("ordering", "Ordering", "Steps to put in the right order.", "rows"),
        ItemType("matching", "Matching", "Prompts, each matched to its response.", "rows"),
        ItemType(
            "scenario",
            "Scenario",
            "A case in several steps: each option scores and leads somewhere.",
            "json",
        ),
        ItemType(
            "configuration",
            "Configuration exercise",
            "Settings the learner fills in, each checked by a rule.",
            "json",
        ),
        ItemType("evidence", "Evidence", "An upload a reviewer grades with a rubric.", "json"),
    )
}

# What a new item of a JSON-edited type starts from: a small, valid example to adapt.
JSON_STARTERS: dict[str, dict[str, Any]] = {
    "scenario": {
        "start": "first",
        "steps": [
            {
                "id": "first",
                "situation": "What the learner faces first.",
                "options": [
                    {"id": "a", "text": "A good move", "next": "second", "score": 2},
                    {
                        "id": "b",
                        "text": "A poor move",
                        "next": "",
                        "score": 0,
                        "feedback": "Why this move is poor.",
                    },
                ],
            },
            {
                "id": "second",
                "situation": "What happens after the good move.",
                "options": [
                    {"id": "a", "text": "Resolve it", "next": "", "score": 3},
                    {"id": "b", "text": "Hand it over", "next": "", "score": 1},
                ],
            },
        ],
    },
    "configuration": {
        "fields": [
            {
                "id": "vlan",
                "label": "VLAN id",
                "kind": "number",
                "check": "range",
                "minimum": 100,
                "maximum": 199,
                "points": 1,
                "feedback": "Guest VLANs are numbered 100 to 199.",
            },
            {
                "id": "mode",
                "label": "Port mode",
                "kind": "choice",
                "choices": ["access", "trunk"],
                "check": "equals",
                "value": "access",
                "points": 1,
            },
        ]
    },
    "evidence": {
        "rubric": [
            {
                "id": "works",
                "title": "It works",
                "levels": [
                    {"id": "no", "label": "Not shown", "points": 0},
                    {"id": "yes", "label": "Shown working", "points": 2},
                ],
            }
        ],
        "accepted_types": ["image/png", "image/jpeg", "application/pdf"],
    },
}

JSON_HELP: dict[str, str] = {
    "scenario": "“start” names the first step. Each step has an id, a situation and options; "
    "each option has an id, a text, a score (negative for a harmful move), optional "
    'feedback, and “next”: the id of the step it leads to, or "" to end the case.',
    "configuration": "Each field has an id, a label, a kind (text, number or choice, with "
    "“choices”), a check (equals “value”, one_of “values”, range “minimum”/“maximum”, "
    "or pattern “value”), points and optional feedback.",
    "evidence": "Each criterion of the rubric has an id, a title and at least two levels, each "
    "with an id, a label and points. “accepted_types” lists the file types learners may "
    "upload.",
}


# --- readable errors ------------------------------------------------------------------------------

_SINGULAR = {
    "options": "option",
    "steps": "step",
    "fields": "field",
    "rubric": "criterion",
    "levels": "level",
    "accepted": "accepted answer",
    "prompts": "prompt",
    "responses": "response",
    "choices": "choice",
    "values": "value",
    "accepted_types": "file type",
}

_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Field required$"), "This is required."),
    (re.compile(r"^String should have at least 1 character$"), "Fill this in."),
    (re.compile(r"^String should have at most (\d+) characters?$"), r"Use at most \1 characters."),
    (
        re.compile(r"^String should match pattern .*"),
        "Use only letters, digits, dots, dashes and underscores (no spaces).",
    ),
    (re.compile(r"^Extra inputs are not permitted$"), "Not part of this type of item: remove it."),
    (re.compile(r"^Input should be a valid number.*"), "Give a number."),
    (re.compile(r"^Input should be a finite number$"), "Give a number."),
    (re.compile(r"^Input should be a valid boolean.*"), "Use true or false."),
    (re.compile(r"^Input should be a valid string$"), "Give a text (in quotes)."),
    (re.compile(r"^Input should be a valid list$"), "Give a list: [ ... ]."),
    (re.compile(r"^Input should be a valid dictionary.*"), "Give an object: { ... }."),
    (
        re.compile(r"^List should have at least (\d+) items? after validation, not \d+$"),
        r"Give at least \1.",
    ),
    (
        re.compile(r"^List should have at most (\d+) items? after validation, not \d+$"),
        r"Give at most \1.",
    ),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"Use \1 or more."),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"Use at most \1."),
    (re.compile(r"^Input should be greater than (\S+)$"), r"Use a number above \1."),
    (re.compile(r"^Input should be less than (\S+)$"), r"Use a number below \1."),
    (re.compile(r"^Input should be (.+)$"), r"Use \1."),
]


_PLURAL = {
    "options": "options",
    "steps": "steps",
    "fields": "fields",
    "rubric": "criteria",
    "levels": "levels",
    "accepted": "accepted answers",
    "prompts": "prompts",
    "responses": "responses",
    "choices": "choices",
}


def readable_message(message: str, path: str = "") -> str:
    """A validation message in the words of the page ("Fill this in." rather than pydantic's
    "String should have at least 1 character"); a count says of what, from the `path` of the
    list it is about ("Give at least 2 responses.")."""
    for pattern, replacement in _MESSAGES:
        if pattern.match(message):
            text = pattern.sub(replacement, message)
            noun = _PLURAL.get(path.rsplit(".", 1)[-1])
            if noun and re.match(r"^Give at (least|most) \d+\.$", text):
                text = f"{text[:-1]} {noun}."
            return text
    return message


def _located(where: str, message: str) -> str:
    """A message with where it is, unless it says so already ("Field vlan: ...")."""
    return message if message.lower().startswith(where.lower()) else f"{where}: {message}"


def readable_path(path: str, data: Any = None) -> str:
    """Where an error is inside a definition, in words: "steps.1.options.0.next" becomes
    "Step logs → option ask → next" (identifiers taken from `data` when it has them), or
    "Step 2 → option 1 → next"."""
    parts = [p for p in path.split(".") if p]
    words: list[str] = []
    node = data
    previous = ""
    for part in parts:
        if part.isdigit():
            index = int(part)
            item = node[index] if isinstance(node, list) and index < len(node) else None
            name = _SINGULAR.get(previous, "item")
            identifier = item.get("id") if isinstance(item, dict) else None
            known = isinstance(identifier, str) and _IDENTIFIER.match(identifier)
            label = f"{name} {identifier}" if known else None
            words[-1:] = [label or f"{name} {index + 1}"]
            node = item
        else:
            words.append(part.replace("_", " "))
            node = node.get(part) if isinstance(node, dict) else None
        previous = part
    text = " → ".join(words)
    return text[:1].upper() + text[1:] if text else "The item as a whole"


# --- the item editor ------------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _number(text: str) -> str | None:
    """A number as typed (a decimal comma accepted), or None when left empty; what is not a
    number is passed on for the item to refuse beside its input."""
    text = text.strip().replace(",", ".")
    return text or None


def _checked(value: str | None) -> bool:
    return value in ("1", "on", "true")


@dataclass
class Row:
    """A row of a repeated group (an option, an accepted answer, a step, a pair)."""

    group: str
    index: int
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Set on the first row added by "Add more": the page puts the focus there.
    focus: bool = False

    def prefix(self) -> str:
        return f"{self.group}-{self.index}"

    def has_errors(self) -> bool:
        return any(self.errors.values())

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def title(self) -> str:
        return f"{_ROW_LABEL[self.group]} {self.number}"

    @property
    def inputs(self) -> dict[str, RowInput]:
        """Each input of the row, by part ("text", "feedback"...), for the template."""
        return {
            part: RowInput(
                name=f"{self.prefix()}-{part}",
                value=self.values.get(part, ""),
                errors=self.errors.get(part, []),
            )
            for part in _ROW_PARTS[self.group]
        }

    @property
    def row_errors(self) -> list[str]:
        return self.errors.get("", [])


@dataclass(frozen=True)
class RowInput:
    name: str
    value: str
    errors: list[str]

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def error_id(self) -> str:
        return f"id_{self.name}_error"

    @property
    def checked(self) -> bool:
        return _checked(self.value)


@dataclass
class Group:
    name: str
    label: str
    rows: list[Row]
    errors: list[str] = field(default_factory=list)
    limit: int = MAX_OPTIONS

    @property
    def can_grow(self) -> bool:
        return len(self.rows) < self.limit


@dataclass(frozen=True)
class EditorError:
    label: str
    anchor: str
    message: str


class PromptForm(PageForm):
    """What every item has: its prompt and the explanation shown after grading."""

    prompt = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the learner reads first.",
        error_messages={"required": "Write the question the learner answers."},
    )
    explanation = forms.CharField(
        label="Explanation (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown after grading, when the exam's feedback policy allows.",
    )


class ChoiceItemForm(PromptForm):
    shuffle = forms.BooleanField(
        label="Shuffle the options for each learner", required=False, initial=True
    )


class MultipleResponseForm(ChoiceItemForm):
    partial_credit = forms.ChoiceField(
        label="Partial credit",
        widget=forms.RadioSelect,
        initial="right_minus_wrong",
        choices=[
            ("right_minus_wrong", "Right minus wrong: correct options chosen, less wrong ones"),
            ("per_option", "Per option: the share of options classified right"),
            ("all_or_nothing", "All or nothing"),
        ],
    )


class TrueFalseForm(PromptForm):
    statement_is_true = forms.ChoiceField(
        label="The statement is",
        widget=forms.RadioSelect,
        choices=[("true", "True"), ("false", "False")],
        error_messages={"required": "Say whether the statement is true or false."},
    )
    feedback_true = forms.CharField(
        label="Feedback for “true” (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    feedback_false = forms.CharField(
        label="Feedback for “false” (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NumericForm(PromptForm):
    answer = forms.CharField(
        label="Correct answer",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "Give the correct answer."},
    )
    tolerance = forms.CharField(
        label="Tolerance (optional)",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="How far from the answer is still right: 0.5 accepts 9.5 to 10.5 for 10.",
    )
    relative = forms.BooleanField(
        label="The tolerance is a share of the answer (0.05: within 5 %)", required=False
    )
    unit = forms.CharField(
        label="Unit (optional)", required=False, help_text="Shown after the answer box: ms, GB."
    )


class OrderingForm(PromptForm):
    partial = forms.BooleanField(
        label="Partial credit: a share of the pairs of steps in the right order",
        required=False,
        initial=True,
    )


class MatchingForm(PromptForm):
    partial = forms.BooleanField(
        label="Partial credit: a share of the prompts matched right", required=False, initial=True
    )


class JsonItemForm(PromptForm):
    details = forms.CharField(
        label="Details (JSON)",
        widget=forms.Textarea(attrs={"rows": 22, "class": "code", "spellcheck": "false"}),
        error_messages={"required": "Write the details of the item."},
    )


_SCALAR_FORMS: dict[str, type[PromptForm]] = {
    "single_choice": ChoiceItemForm,
    "multiple_response": MultipleResponseForm,
    "true_false": TrueFalseForm,
    "numeric": NumericForm,
    "short_text": PromptForm,
    "ordering": OrderingForm,
    "matching": MatchingForm,
    "scenario": JsonItemForm,
    "configuration": JsonItemForm,
    "evidence": JsonItemForm,
}

# The repeated groups of each structured type: (group, label, blank rows for a new item).
_GROUPS: dict[str, list[tuple[str, str, int]]] = {
    "single_choice": [("option", "Options", 4)],
    "multiple_response": [("option", "Options", 4)],
    "short_text": [("accepted", "Accepted answers", 2)],
    "ordering": [("step", "Steps, in the correct order", 4)],
    "matching": [("pair", "Pairs", 3), ("distractor", "Extra responses (optional)", 2)],
}
_ROW_PARTS: dict[str, tuple[str, ...]] = {
    "option": ("id", "text", "correct", "feedback"),
    "accepted": ("match", "value", "case_sensitive", "credit"),
    "step": ("id", "text"),
    "pair": ("id", "prompt", "response_id", "response"),
    "distractor": ("id", "text"),
}
# Where an error about the definition as a whole is shown.
_WHOLE: dict[str, str] = {
    "single_choice": "option",
    "multiple_response": "option",
    "short_text": "accepted",
    "ordering": "step",
    "matching": "pair",
    "scenario": "details",
    "configuration": "details",
    "evidence": "details",
}
ADD_ROWS = 2


def _free_ids(taken: set[str], style: str = "letters") -> list[str]:
    """Identifiers for new options, steps or responses that are not used yet."""
    if style == "letters":
        pool = list(string.ascii_lowercase) + [f"o{n}" for n in range(1, 100)]
    else:
        pool = [f"{style}{n}" for n in range(1, 200)]
    return [name for name in pool if name not in taken]


class ItemEditor:
    """The editor of one item type: its inputs, the definition they make, and the errors the
    definition got back, each placed beside its input."""

    def __init__(
        self,
        item_type: str,
        *,
        data: QueryDict | None = None,
        definition: dict[str, Any] | None = None,
        quiet: bool = False,
    ) -> None:
        """`data`: what was posted; `definition`: the version to start from; `quiet`: show
        what was posted again without judging it (the author asked for more rows)."""
        self.type = item_type
        self.info = ITEM_TYPES[item_type]
        self.data = data
        self.json_help = JSON_HELP.get(item_type, "")
        self.top_errors: list[str] = []
        # Definition path prefix -> where its errors go: ("field", name) or (group, row index).
        self._targets: dict[str, tuple[str, int | str]] = {}
        self._response_rows: list[tuple[str, int]] = []
        self._json: Any = None
        # What the preview says is wrong, when the editor itself is shown unjudged.
        self.preview_errors: list[EditorError] = []
        form_class = _SCALAR_FORMS[item_type]
        if data is not None and quiet:
            self.form = form_class(
                initial={name: data.get(name, "") for name in form_class.base_fields}
            )
            self.groups = self._posted_groups(data)
        elif data is not None:
            self.form = form_class(data)
            self.form.is_valid()
            self.groups = self._posted_groups(data)
        else:
            initial = self._initial(definition)
            self.form = form_class(initial=initial)
            self.groups = self._initial_groups(definition)

    # --- reading what was posted ---

    def _posted_groups(self, data: QueryDict) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        more = data.get("more", "")
        for name, label, _ in _GROUPS.get(self.type, []):
            try:
                count = int(data.get(f"{name}-rows", "0"))
            except ValueError:
                count = 0
            count = max(0, min(count, MAX_OPTIONS))
            rows = [
                Row(
                    name,
                    i,
                    {part: data.get(f"{name}-{i}-{part}", "") for part in _ROW_PARTS[name]},
                )
                for i in range(count)
            ]
            if more == name:
                for i in range(count, min(count + ADD_ROWS, MAX_OPTIONS)):
                    rows.append(Row(name, i, _blank(name), focus=i == count))
            groups[name] = Group(name, label, rows)
        return groups

    # --- starting from a definition ---

    def _initial(self, definition: dict[str, Any] | None) -> dict[str, Any]:
        d = definition or {}
        initial: dict[str, Any] = {
            "prompt": d.get("prompt", ""),
            "explanation": d.get("explanation", ""),
        }
        if self.type in ("single_choice", "multiple_response"):
            initial["shuffle"] = d.get("shuffle", True)
        if self.type == "multiple_response":
            initial["partial_credit"] = d.get("partial_credit", "right_minus_wrong")
        if self.type == "true_false" and "statement_is_true" in d:
            initial["statement_is_true"] = "true" if d["statement_is_true"] else "false"
            initial["feedback_true"] = d.get("feedback_true", "")
            initial["feedback_false"] = d.get("feedback_false", "")
        if self.type == "numeric" and definition:
            initial.update(
                answer=_as_text(d.get("answer")),
                tolerance=_as_text(d.get("tolerance")) if d.get("tolerance") else "",
                relative=d.get("relative", False),
                unit=d.get("unit", ""),
            )
        if self.type in ("ordering", "matching"):
            initial["partial"] = d.get("partial", True)
        if self.info.editor == "json":
            details = (
                {k: v for k, v in d.items() if k not in ("type", "prompt", "explanation")}
                if definition
                else JSON_STARTERS[self.type]
            )
            initial["details"] = json.dumps(details, indent=2, ensure_ascii=False)
        return initial

    def _initial_groups(self, definition: dict[str, Any] | None) -> dict[str, Group]:
        d = definition or {}
        filled: dict[str, list[dict[str, str]]] = {}
        if self.type in ("single_choice", "multiple_response"):
            filled["option"] = [
                {
                    "id": o["id"],
                    "text": o["text"],
                    "correct": _as_text(o.get("correct", False)),
                    "feedback": o.get("feedback", ""),
                }
                for o in d.get("options", [])
            ]
        elif self.type == "short_text":
            filled["accepted"] = [
                {
                    "match": a.get("match", "exact"),
                    "value": a["value"],
                    "case_sensitive": _as_text(a.get("case_sensitive", False)),
                    "credit": f"{100 * float(a.get('credit', 1)):g}",
                }
                for a in d.get("accepted", [])
            ]
        elif self.type == "ordering":
            filled["step"] = [{"id": s["id"], "text": s["text"]} for s in d.get("steps", [])]
        elif self.type == "matching":
            responses = {r["id"]: r["text"] for r in d.get("responses", [])}
            key = d.get("key", {})
            filled["pair"] = [
                {
                    "id": p["id"],
                    "prompt": p["text"],
                    "response_id": key.get(p["id"], ""),
                    "response": responses.get(key.get(p["id"], ""), ""),
                }
                for p in d.get("prompts", [])
            ]
            used = set(key.values())
            filled["distractor"] = [
                {"id": rid, "text": text} for rid, text in responses.items() if rid not in used
            ]
        groups: dict[str, Group] = {}
        for name, label, blank in _GROUPS.get(self.type, []):
            rows_data = filled.get(name, [])
            extra = ADD_ROWS if definition else blank
            count = min(MAX_OPTIONS, max(len(rows_data) + extra, blank))
            rows = []
            for i in range(count):
                values = _blank(name)
                if i < len(rows_data):
                    values.update(rows_data[i])
                rows.append(Row(name, i, values))
            groups[name] = Group(name, label, rows)
        return groups

    # --- the definition the inputs make ---

    def _value(self, name: str) -> str:
        assert self.data is not None
        return self.data.get(name, "")

    def definition(self) -> dict[str, Any] | None:
        """The definition as typed (not validated), or None when the JSON cannot be read (the
        reason is then an error beside it)."""
        definition: dict[str, Any] = {
            "type": self.type,
            "prompt": self._value("prompt").strip(),
        }
        self._targets = {"prompt": ("field", "prompt"), "explanation": ("field", "explanation")}
        explanation = self._value("explanation").strip()
        if explanation:
            definition["explanation"] = explanation
        build = getattr(self, f"_build_{self.type}", None)
        if build is not None:
            build(definition)
            return definition
        return self._build_json(definition)

    def _field(self, definition: dict[str, Any], key: str, value: Any) -> None:
        self._targets[key] = ("field", key)
        if value is not None:
            definition[key] = value

    def _filled(self, group: str, parts: tuple[str, ...]) -> list[Row]:
        return [
            row
            for row in self.groups[group].rows
            if any(row.values.get(p, "").strip() for p in parts)
        ]

    def _build_choices(self, definition: dict[str, Any], *, single: bool) -> None:
        rows = self._filled("option", ("text", "feedback"))
        if single:
            chosen = self._value("correct")
            for row in self.groups["option"].rows:
                row.values["correct"] = "1" if chosen == str(row.index) else ""
            correct_rows = [r for r in self.groups["option"].rows if r.values["correct"]]
            rows += [r for r in correct_rows if r not in rows]
            rows.sort(key=lambda r: r.index)
        else:
            rows += [
                r
                for r in self.groups["option"].rows
                if _checked(r.values.get("correct")) and r not in rows
            ]
            rows.sort(key=lambda r: r.index)
        free = iter(_free_ids({r.values["id"] for r in rows if r.values["id"]}))
        options = []
        for n, row in enumerate(rows):
            row.values["id"] = row.values["id"] or next(free)
            self._targets[f"options.{n}"] = ("option", row.index)
            option: dict[str, Any] = {
                "id": row.values["id"],
                "text": row.values["text"].strip(),
                "correct": _checked(row.values["correct"]),
            }
            if row.values["feedback"].strip():
                option["feedback"] = row.values["feedback"].strip()
            options.append(option)
        self._targets["options"] = ("option", "")
        definition["options"] = options
        self._field(definition, "shuffle", _checked(self._value("shuffle")))

    def _build_single_choice(self, definition: dict[str, Any]) -> None:
        self._build_choices(definition, single=True)

    def _build_multiple_response(self, definition: dict[str, Any]) -> None:
        self._build_choices(definition, single=False)
        self._field(definition, "partial_credit", self._value("partial_credit") or None)

    def _build_true_false(self, definition: dict[str, Any]) -> None:
        said = self._value("statement_is_true")
        self._field(definition, "statement_is_true", {"true": True, "false": False}.get(said))
        for key in ("feedback_true", "feedback_false"):
            self._field(definition, key, self._value(key).strip() or None)

    def _build_numeric(self, definition: dict[str, Any]) -> None:
        self._field(definition, "answer", _number(self._value("answer")))
        self._field(definition, "tolerance", _number(self._value("tolerance")))
        self._field(definition, "relative", _checked(self._value("relative")))
        self._field(definition, "unit", self._value("unit").strip() or None)

    def _build_short_text(self, definition: dict[str, Any]) -> None:
        accepted = []
        for n, row in enumerate(self._filled("accepted", ("value",))):
            self._targets[f"accepted.{n}"] = ("accepted", row.index)
            answer: dict[str, Any] = {
                "match": row.values["match"] or "exact",
                "value": row.values["value"].strip(),
                "case_sensitive": _checked(row.values["case_sensitive"]),
            }
            credit = _number(row.values["credit"])
            if credit is not None:
                try:
                    share = Decimal(credit) / 100
                except ArithmeticError:
                    share = None
                if share is None or not share.is_finite() or not 0 < share <= 1:
                    row.errors.setdefault("credit", []).append(
                        "Give a percentage above 0 and at most 100."
                    )
                else:
                    answer["credit"] = float(share)
            accepted.append(answer)
        self._targets["accepted"] = ("accepted", "")
        definition["accepted"] = accepted

    def _build_ordering(self, definition: dict[str, Any]) -> None:
        rows = self._filled("step", ("text",))
        free = iter(_free_ids({r.values["id"] for r in rows if r.values["id"]}))
        steps = []
        for n, row in enumerate(rows):
            row.values["id"] = row.values["id"] or next(free)
            self._targets[f"steps.{n}"] = ("step", row.index)
            steps.append({"id": row.values["id"], "text": row.values["text"].strip()})
        self._targets["steps"] = ("step", "")
        definition["steps"] = steps
        self._field(definition, "partial", _checked(self._value("partial")))

    def _build_matching(self, definition: dict[str, Any]) -> None:
        pairs = self._filled("pair", ("prompt", "response"))
        extras = self._filled("distractor", ("text",))
        taken = {r.values["id"] for r in pairs if r.values["id"]}
        free_prompts = iter(_free_ids(taken, "p"))
        taken_responses = {r.values["response_id"] for r in pairs if r.values["response_id"]}
        taken_responses |= {r.values["id"] for r in extras if r.values["id"]}
        free_responses = iter(_free_ids(taken_responses, "r"))
        # A response is known by its text: two prompts with the same response share it.
        response_ids: dict[str, str] = {}
        responses: list[dict[str, str]] = []
        self._response_rows = []

        def response(text: str, wanted_id: str, row: tuple[str, int]) -> str:
            if text in response_ids:
                return response_ids[text]
            used = {r["id"] for r in responses}
            rid = wanted_id if wanted_id and wanted_id not in used else next(free_responses)
            response_ids[text] = rid
            responses.append({"id": rid, "text": text})
            self._response_rows.append(row)
            return rid

        prompts = []
        key: dict[str, str] = {}
        for n, row in enumerate(pairs):
            row.values["id"] = row.values["id"] or next(free_prompts)
            self._targets[f"prompts.{n}"] = ("pair", row.index)
            prompts.append({"id": row.values["id"], "text": row.values["prompt"].strip()})
            text = row.values["response"].strip()
            if text:
                rid = response(text, row.values["response_id"], ("pair", row.index))
                row.values["response_id"] = rid
                key[row.values["id"]] = rid
            else:
                row.errors.setdefault("response", []).append("Give the matching response.")
        for row in extras:
            row.values["id"] = response(
                row.values["text"].strip(), row.values["id"], ("distractor", row.index)
            )
        for n, (group, index) in enumerate(self._response_rows):
            self._targets[f"responses.{n}"] = (group, index)
        self._targets["prompts"] = ("pair", "")
        self._targets["responses"] = ("pair", "")
        definition.update(prompts=prompts, responses=responses, key=key)
        self._field(definition, "partial", _checked(self._value("partial")))

    def _build_json(self, definition: dict[str, Any]) -> dict[str, Any] | None:
        text = self._value("details").strip()
        if not text:
            return None  # the form says it is required
        try:
            details = json.loads(text)
        except json.JSONDecodeError as exc:
            self._details_error(
                f"This is not valid JSON: {exc.msg.lower()} (line {exc.lineno}, "
                f"column {exc.colno})."
            )
            return None
        if not isinstance(details, dict):
            self._details_error("Write an object: { ... }.")
            return None
        said = details.pop("type", self.type)
        if said != self.type:
            self._details_error(
                f"These details say “{said}”; this editor writes {self.info.label.lower()} "
                "items. Remove “type”."
            )
            return None
        for key in ("prompt", "explanation"):
            if key in details:
                self._details_error(f"Write the {key} in its own box above, not here.")
                return None
        self._json = details
        return {**definition, **details}

    # --- errors ---

    def _details_error(self, message: str) -> None:
        if message not in self.form.errors.get("details", []):
            self.form.add_error("details", message)

    def add_error(self, path: str, message: str) -> None:
        """Place an error about the definition (`path` inside it, "" for the whole) beside the
        input it concerns."""
        text = readable_message(message, path)
        if path == "type":
            self.top_errors.append(text)
            return
        target = self._target(path)
        if target is None:
            if self.info.editor == "json":
                where = readable_path(path, self._json)
                self._details_error(_located(where, text) if path else text)
            else:
                whole = _WHOLE.get(self.type)
                if whole and whole in self.groups:
                    self.groups[whole].errors.append(text)
                else:
                    self.top_errors.append(_located(readable_path(path), text) if path else text)
            return
        kind, place = target
        if kind == "field":
            name = str(place)
            if name in self.form.fields:
                if not self.form.errors.get(name):
                    self.form.add_error(name, text)
            else:
                self.top_errors.append(text)
            return
        group = self.groups[kind]
        if place == "":
            group.errors.append(text)
            return
        row = next(r for r in group.rows if r.index == place)
        rest = path.split(".")[2:]
        part = _row_part(kind, rest[0] if rest else "", path)
        row.errors.setdefault(part, []).append(text)

    def _target(self, path: str) -> tuple[str, int | str] | None:
        parts = path.split(".") if path else []
        for length in range(len(parts), 0, -1):
            found = self._targets.get(".".join(parts[:length]))
            if found is not None:
                return found
        return None

    def errors(self) -> list[EditorError]:
        """Every error of the editor, in the page's order, with the input it concerns."""
        found = [EditorError("The item", "item-editor", e) for e in self.top_errors]
        for name, field_errors in self.form.errors.items():
            if name == "__all__":
                found += [EditorError("The item", "item-editor", str(e)) for e in field_errors]
                continue
            label = str(self.form.fields[name].label) if name in self.form.fields else name
            found += [EditorError(label, f"id_{name}", str(e)) for e in field_errors]
        for group in self.groups.values():
            found += [EditorError(group.label, f"group-{group.name}", e) for e in group.errors]
            for row in group.rows:
                for part, messages in row.errors.items():
                    label = row.title
                    anchor = f"id_{row.prefix()}-{part or _FIRST_PART[group.name]}"
                    found += [EditorError(label, anchor, m) for m in messages]
        return found

    def is_valid_input(self) -> bool:
        """Whether what was typed can be sent to be validated as a definition (the JSON reads,
        percentages are numbers)."""
        return not self.errors()


_ROW_LABEL = {
    "option": "Option",
    "accepted": "Accepted answer",
    "step": "Step",
    "pair": "Pair",
    "distractor": "Extra response",
}
_FIRST_PART = {
    "option": "text",
    "accepted": "value",
    "step": "text",
    "pair": "prompt",
    "distractor": "text",
}


def _blank(group: str) -> dict[str, str]:
    """The values of an empty row."""
    values = dict.fromkeys(_ROW_PARTS[group], "")
    if group == "accepted":
        values.update(match="exact", credit="100")
    return values


def _row_part(group: str, key: str, path: str) -> str:
    """The input of a row an error about `key` goes beside."""
    if group == "pair":
        return "response" if path.startswith("responses") else "prompt"
    if group == "distractor":
        return "text"
    return key if key in _ROW_PARTS[group] else ""


# --- an item's scoring and tags -------------------------------------------------------------------


class ItemTagsForm(PageForm):
    points = forms.DecimalField(
        label="Points",
        min_value=Decimal("0.01"),
        max_value=Decimal("1000"),
        decimal_places=2,
        initial=Decimal("1"),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text="What the item is worth in an exam.",
    )
    difficulty = forms.TypedChoiceField(
        label="Difficulty",
        coerce=int,
        choices=Difficulty.choices,
        initial=Difficulty.MEDIUM,
        help_text="As you judge it; blueprints draw by it.",
    )
    competency_ids = forms.MultipleChoiceField(
        label="Competencies it measures",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    product_version_ids = forms.MultipleChoiceField(
        label="Product versions it applies to",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        competencies: GroupedChoices,
        product_versions: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "competency_ids", competencies)
        _set_choices(self, "product_version_ids", product_versions)
        self.competency_groups = competencies
        self.product_version_groups = [("", product_versions)] if product_versions else []
        if not competencies:
            self.fields[
                "competency_ids"
            ].help_text = "No competency is defined yet: add them on the Competency framework page."
        if not product_versions:
            self.fields[
                "product_version_ids"
            ].help_text = "No product version is defined yet (the studio's Product versions page)."


class RevisionNoteForm(PageForm):
    note = forms.CharField(
        label="Why this version",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the version history: “Corrected the key: option C is right too.” "
        "Attempts keep the version they drew.",
        error_messages={"required": "Say what this version corrects."},
    )


def _set_choices(form: forms.Form, name: str, choices: Any) -> None:
    form_field = form.fields[name]
    assert isinstance(form_field, forms.ChoiceField)
    form_field.choices = choices


# --- the framework and banks ----------------------------------------------------------------------


class DomainForm(PageForm):
    name = forms.CharField(label="Domain name", max_length=120, help_text="Deployment, Selling.")
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompetencyForm(PageForm):
    domain_id = forms.ChoiceField(label="Domain")
    name = forms.CharField(
        label="Competency name",
        max_length=120,
        help_text="Product X installation, Objection handling.",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, domains: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "domain_id", [("", "Choose a domain"), *domains])


class BankForm(PageForm):
    name = forms.CharField(label="Name", max_length=120, help_text="Firewall basics.")
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the bank's items cover, for other authors.",
    )


class BankItemFilterForm(PageForm):
    required_css_class = ""

    type = forms.ChoiceField(label="Type", required=False)
    competency = forms.ChoiceField(label="Competency", required=False)
    difficulty = forms.ChoiceField(
        label="Difficulty",
        required=False,
        choices=[
            ("", "Any difficulty"),
            *[(str(v), str(label)) for v, label in Difficulty.choices],
        ],
    )
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Live items"), ("retired", "Retired items")],
    )

    def __init__(self, *args: Any, competencies: GroupedChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self, "type", [("", "Any type"), *[(t.name, t.label) for t in ITEM_TYPES.values()]]
        )
        _set_choices(self, "competency", [("", "Any competency"), *competencies])


# --- exams ----------------------------------------------------------------------------------------


class ExamForm(PageForm):
    """An exam's name, mode and rules; a passing share per competency is one optional field
    per competency (`competency_<id>`), added for the framework's competencies."""

    name = forms.CharField(label="Name", max_length=120)
    mode = forms.ChoiceField(
        label="How its items are chosen",
        widget=forms.RadioSelect,
        choices=ExamMode.choices,
        initial=ExamMode.FIXED,
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    passing_percent = forms.DecimalField(
        label="Passing score, % of the points",
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        decimal_places=1,
        initial=Decimal("70"),
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    time_limit_minutes = forms.IntegerField(
        label="Time limit in minutes (optional)",
        required=False,
        min_value=1,
        max_value=600,
        help_text="Kept by the server. Leave empty for an untimed exam.",
    )
    attempts_limit = forms.IntegerField(
        label="Attempts allowed (optional)",
        required=False,
        min_value=1,
        max_value=100,
        help_text="Leave empty for no limit.",
    )
    cooldown_hours = forms.IntegerField(
        label="Hours to wait between attempts",
        min_value=0,
        max_value=24 * 365,
        initial=0,
    )
    feedback_policy = forms.ChoiceField(
        label="Feedback shown to learners",
        widget=forms.RadioSelect,
        choices=FeedbackPolicy.choices,
        initial=FeedbackPolicy.AFTER_SUBMISSION,
    )
    opens_at = forms.DateTimeField(
        label="Opens on (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label="Closes on (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    shuffle_items = forms.BooleanField(
        label="Shuffle the items for each attempt", required=False, initial=True
    )
    shuffle_options = forms.BooleanField(
        label="Shuffle the options of choice items", required=False, initial=True
    )
    max_exposure = forms.IntegerField(
        label="Most times an item is shown (optional)",
        required=False,
        min_value=1,
        help_text="Blueprints prefer other items once one has been shown this often.",
    )

    def __init__(self, *args: Any, competencies: GroupedChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competency_groups: list[tuple[str, list[str]]] = []
        for domain, choices in competencies:
            names = []
            for pk, label in choices:
                name = f"competency_{pk}"
                self.fields[name] = forms.DecimalField(
                    label=label,
                    required=False,
                    min_value=Decimal("0.1"),
                    max_value=Decimal("100"),
                    decimal_places=1,
                    widget=forms.NumberInput(attrs={"step": "0.1"}),
                )
                names.append(name)
            self.competency_groups.append((domain, names))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "An exam closes after it opens.")
        return data

    def competency_passing(self) -> dict[int, Decimal]:
        return {
            int(name.removeprefix("competency_")): value / 100
            for name, value in self.cleaned_data.items()
            if name.startswith("competency_") and value is not None
        }

    def competency_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (domain, [self[name] for name in names]) for domain, names in self.competency_groups
        ]


class FormCandidatesForm(PageForm):
    """Filters of the items offered for a fixed form."""

    required_css_class = ""

    bank = forms.ChoiceField(label="Bank", required=False)
    type = forms.ChoiceField(label="Type", required=False)
    competency = forms.ChoiceField(label="Competency", required=False)
    q = forms.CharField(
        label="Question contains",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(
        self, *args: Any, banks: Choices, competencies: GroupedChoices, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "bank", [("", "Any bank"), *banks])
        _set_choices(
            self, "type", [("", "Any type"), *[(t.name, t.label) for t in ITEM_TYPES.values()]]
        )
        _set_choices(self, "competency", [("", "Any competency"), *competencies])


@dataclass
class DrawRow:
    index: int
    count: str = ""
    bank: str = ""
    competency: str = ""
    difficulty: str = ""
    errors: list[str] = field(default_factory=list)
    focus: bool = False


def draw_rows_posted(data: QueryDict) -> list[DrawRow]:
    """The blueprint's rows as posted (with room for more when asked)."""
    try:
        count = int(data.get("draw-rows", "0"))
    except ValueError:
        count = 0
    count = max(0, min(count, 50))
    rows = []
    for i in range(count):
        count_, bank, competency, difficulty = (
            data.get(f"draw-{i}-{part}", "").strip() for part in DRAW_PARTS
        )
        rows.append(DrawRow(i, count_, bank, competency, difficulty))
    if data.get("more") == "draw":
        rows += [DrawRow(i, focus=i == count) for i in range(count, min(count + ADD_ROWS, 50))]
    return rows


DRAW_PARTS = ("count", "bank", "competency", "difficulty")
