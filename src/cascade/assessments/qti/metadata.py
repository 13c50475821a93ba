"""What a package says about each item besides the item itself: IEEE LOM in the manifest, and
Cascade's own extension there.

The manifest's resource `metadata` is the place QTI 3.0 content packaging opens to other
vocabularies (the item schema itself is closed: an unknown element makes an item invalid). So:

- **IEEE LOM**, which every QTI tool reads or ignores gracefully, carries what it has words for:
  the title, the author's difficulty (`educational/difficulty`: easy, medium, difficult) and
  the competencies an item measures, as a `classification` whose purpose is LOM's own
  "competency", one taxon path per competency (its domain, then its name). Competencies travel
  by name: ids mean nothing in another program.
- **The Cascade extension** (`cascade:item`, namespace `urn:cascade:qti-extension:1`) carries the
  few settings QTI cannot express at all, so a package exported from Cascade and imported into
  Cascade gives back the same definitions: the partial-credit policy of a multiple-response,
  ordering or matching item where QTI's own response processing only approximates it, the
  accepted answers of a short text item that are patterns (QTI mappings hold exact strings), and
  the prefix added to identifiers that QTI would not accept as they are. Other tools ignore it
  and read the standard item, which is written to score as closely as QTI allows.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from cascade.assessments.qti.xml import CASCADE, local, small_number

COMPETENCY_SOURCE = "Cascade competency framework"
# Cascade's three levels as LOM words, and LOM's five read back as the nearest of ours.
LOM_DIFFICULTY = {1: "easy", 2: "medium", 3: "difficult"}
FROM_LOM_DIFFICULTY = {
    "very easy": 1,
    "easy": 1,
    "medium": 2,
    "difficult": 3,
    "very difficult": 3,
}


@dataclass(frozen=True)
class Pattern:
    """An accepted answer of a short text item that is a pattern, at its place in the list."""

    position: int
    value: str
    credit: float
    case_sensitive: bool


@dataclass(frozen=True)
class ItemMetadata:
    difficulty: int | None = None
    competencies: tuple[str, ...] = ()
    # The attributes of `cascade:item` (partial-credit, partial, identifier-prefix, type).
    extension: dict[str, str] = field(default_factory=dict)
    patterns: tuple[Pattern, ...] = ()


def _lom(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"imsmd:{name}")
    if text is not None:
        element.text = text
    return element


def _vocabulary(parent: ET.Element, name: str, value: str) -> None:
    term = _lom(parent, name)
    _lom(term, "source", "LOMv1.0")
    _lom(term, "value", value)


def _lang_string(parent: ET.Element, name: str, text: str) -> None:
    _lom(_lom(parent, name), "string", text)


def lom(
    *, title: str, difficulty: int | None = None, competencies: Sequence[tuple[str, str]] = ()
) -> ET.Element:
    """LOM for an item (its title, difficulty and competencies) or a package (its title)."""
    root = ET.Element("imsmd:lom")
    _lang_string(_lom(root, "general"), "title", title)
    if difficulty in LOM_DIFFICULTY:
        _vocabulary(_lom(root, "educational"), "difficulty", LOM_DIFFICULTY[difficulty])
    if competencies:
        classification = _lom(root, "classification")
        _vocabulary(classification, "purpose", "competency")
        for domain, name in competencies:
            path = _lom(classification, "taxonPath")
            _lang_string(path, "source", COMPETENCY_SOURCE)
            for level in (domain, name):
                _lang_string(_lom(path, "taxon"), "entry", level)
    return root


def extension(attributes: dict[str, str], patterns: Sequence[Pattern] = ()) -> ET.Element | None:
    if not attributes and not patterns:
        return None
    root = ET.Element("cascade:item", attributes)
    for pattern in patterns:
        element = ET.SubElement(
            root,
            "cascade:pattern",
            {
                "position": str(pattern.position),
                "credit": repr(pattern.credit),
                "case-sensitive": "true" if pattern.case_sensitive else "false",
            },
        )
        element.text = pattern.value
    return root


# --- reading ------------------------------------------------------------------------------------


def _named(element: ET.Element, name: str) -> list[ET.Element]:
    """Descendants by local name: LOM arrives in more than one namespace (IMS MD 1.2, IEEE LOM)."""
    return [e for e in element.iter() if isinstance(e.tag, str) and local(e.tag) == name]


def _words(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _difficulty(metadata: ET.Element) -> int | None:
    for difficulty in _named(metadata, "difficulty"):
        for value in _named(difficulty, "value"):
            level = FROM_LOM_DIFFICULTY.get(_words(value).lower())
            if level is not None:
                return level
    return None


def _competencies(metadata: ET.Element) -> tuple[str, ...]:
    names: list[str] = []
    for classification in _named(metadata, "classification"):
        purposes = [
            _words(v).lower() for p in _named(classification, "purpose") for v in _named(p, "value")
        ]
        if "competency" not in purposes:
            continue
        for path in _named(classification, "taxonPath"):
            taxa = _named(path, "taxon")
            entries = _named(taxa[-1], "entry") if taxa else []
            name = _words(entries[0]) if entries else ""
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _float(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _patterns(item: ET.Element) -> tuple[Pattern, ...]:
    found = []
    for element in item:
        if element.tag != f"{{{CASCADE}}}pattern" or not (element.text or "").strip():
            continue
        position = element.get("position", "")
        found.append(
            Pattern(
                position=small_number(position, default=10_000),
                value=element.text or "",
                credit=_float(element.get("credit"), 1.0),
                case_sensitive=element.get("case-sensitive") == "true",
            )
        )
    return tuple(sorted(found, key=lambda p: p.position))


def read_metadata(metadata: ET.Element | None) -> ItemMetadata:
    """An item resource's `metadata` element (None when the item came without a manifest)."""
    if metadata is None:
        return ItemMetadata()
    item = next((e for e in metadata.iter() if e.tag == f"{{{CASCADE}}}item"), None)
    return ItemMetadata(
        difficulty=_difficulty(metadata),
        competencies=_competencies(metadata),
        extension=dict(item.attrib) if item is not None else {},
        patterns=_patterns(item) if item is not None else (),
    )
