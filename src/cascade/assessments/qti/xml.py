"""The XML underneath QTI: namespaces, safe parsing, one vocabulary for QTI 2.x and 3.0, and
text in and out of item bodies.

QTI 3.0 names elements and attributes in kebab case with a `qti-` prefix
(`qti-choice-interaction`, `max-choices`); QTI 2.1 and 2.2 in camel case (`choiceInteraction`,
`maxChoices`), both with the XHTML body elements in the QTI namespace. `normalized()` rewrites a
parsed 2.x document into 3.0's names, so the reader is written once, against QTI 3.0.

Uploaded XML is parsed with defusedxml and may not declare a DTD at all: QTI documents are
validated against XML Schemas and never need one, and refusing DTDs refuses entity expansion
(billion laughs, external entities) with them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

QTI3 = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI22 = "http://www.imsglobal.org/xsd/imsqti_v2p2"
QTI2 = (QTI21, QTI22)
# Content packaging: QTI 3.0's profile of IMS CP, and IMS CP 1.1 as QTI 2.x packages use it.
CP3 = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
CP1 = "http://www.imsglobal.org/xsd/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# What Cascade says that QTI cannot (see `cascade.assessments.qti.metadata`).
CASCADE = "urn:cascade:qti-extension:1"

QTI3_ITEM_SCHEMA = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd"
QTI3_CP_SCHEMA = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd"
LOM_SCHEMA = "https://purl.imsglobal.org/spec/md/v1p3/schema/xsd/imsmd_loose_v1p3p2.xsd"

# XHTML elements of item bodies (QTI 2.x puts them in its own namespace, unprefixed).
HTML = frozenset(
    """a abbr acronym address article aside audio b bdi bdo big blockquote br caption cite code
    col colgroup dd details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6
    header hr i img kbd label li nav object ol p param picture pre q rp rt ruby samp section
    small source span strong sub summary sup table tbody td tfoot th thead tr track tt u ul
    var video""".split()  # noqa: SIM905
)
BLOCKS = frozenset(
    """address article aside blockquote caption dd details div dl dt figcaption figure footer
    h1 h2 h3 h4 h5 h6 header li nav ol p pre section summary table tbody td tfoot th thead
    tr ul qti-prompt qti-content-body""".split()  # noqa: SIM905
)
MEDIA = frozenset({"img", "object", "audio", "video", "picture"})

# Markers while text is gathered: a paragraph break and a line break.
_PARAGRAPH, _LINE = "\x00", "\x01"


class PackageInvalid(ValueError):
    """An upload that is not a QTI package or item Cascade can read at all (not a zip, not
    well-formed, unsafe, too large): nothing of it is imported."""

    def __init__(self, message: str, *, code: str = "malformed_qti") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# Deeper than any item an authoring tool writes; text is gathered recursively, so a document
# nested thousands deep is refused rather than read.
MAX_DEPTH = 100


def parse(data: bytes, where: str) -> ET.Element:
    """`data` as an element tree, refusing DTDs (and so entity declarations) outright, and
    documents nested deeper than `MAX_DEPTH`."""
    try:
        root: ET.Element = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise PackageInvalid(
            f"{where} declares a DTD or entities; QTI never needs them, so it is refused.",
            code="unsafe_xml",
        ) from None
    except ET.ParseError as exc:
        raise PackageInvalid(f"{where} is not well-formed XML ({exc}).") from None
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise PackageInvalid(f"{where} nests elements more than {MAX_DEPTH} deep.")
        stack.extend((sub, depth + 1) for sub in element)
    return root


def small_number(text: str | None, *, default: int) -> int:
    """A count or position written in an attribute (at most six digits), else `default`."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 6 else default


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def normalized(root: ET.Element) -> ET.Element:
    """The tree of a QTI 2.1, 2.2 or 3.0 item with 3.0's names and no namespace on QTI
    elements (`qti-simple-choice`, `p`); elements of other namespaces (MathML) keep theirs."""
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        space, name = namespace(element.tag), local(element.tag)
        if space == QTI3:
            element.tag = name
        elif space in QTI2:
            element.tag = name if name in HTML else f"qti-{_kebab(name)}"
            element.attrib = {
                (key if key.startswith("{") else _kebab(key)): value
                for key, value in element.attrib.items()
            }
    return root


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if c.tag == name]


def child(element: ET.Element | None, name: str) -> ET.Element | None:
    found = children(element, name)
    return found[0] if found else None


def descendants(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [e for e in element.iter() if e.tag == name]


# --- text ---------------------------------------------------------------------------------------

# What to do with an element while gathering text: None to read it as usual, a string to put in
# its place, or another element to read instead (its tail is kept either way).
Replace = Callable[[ET.Element], "str | ET.Element | None"]


def text_of(element: ET.Element, replace: Replace | None = None) -> str:
    """The text an element shows: paragraphs (block elements) separated by a blank line, `br`
    as a line break, runs of spaces collapsed. Media and foreign-namespace elements (MathML)
    are left out; callers that care report them (`media_in`)."""
    out: list[str] = []
    _gather(element, out, replace or (lambda e: None))
    paragraphs = []
    for paragraph in "".join(out).split(_PARAGRAPH):
        lines = [" ".join(line.split()) for line in paragraph.split(_LINE)]
        text = "\n".join(lines).strip("\n")
        if text.strip():
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _gather(element: ET.Element, out: list[str], replace: Replace) -> None:
    block = element.tag in BLOCKS
    if block:
        out.append(_PARAGRAPH)
    if element.text:
        out.append(element.text)
    for sub in element:
        if isinstance(sub.tag, str):
            instead = replace(sub)
            if isinstance(instead, str):
                out.append(instead)
            elif instead is not None:
                _gather(instead, out, replace)
            elif sub.tag == "br":
                out.append(_LINE)
            elif sub.tag not in MEDIA and not sub.tag.startswith("{"):
                _gather(sub, out, replace)
        if sub.tail:
            out.append(sub.tail)
    if block:
        out.append(_PARAGRAPH)


def media_in(element: ET.Element) -> list[str]:
    """Images, media objects and formulas inside `element`, as a reader would name them."""
    found = []
    for sub in element.iter():
        if not isinstance(sub.tag, str):
            continue
        if sub.tag in MEDIA:
            source = sub.get("src") or sub.get("data") or ""
            found.append(f"{sub.tag} {source}".strip())
        elif sub.tag.startswith("{"):
            found.append(local(sub.tag))
    return found


def paragraphs(text: str) -> list[list[str]]:
    """`text` as paragraphs (split at blank lines) of lines."""
    return [
        [line.strip() for line in block.strip().split("\n")]
        for block in re.split(r"\n\s*\n", text.strip())
        if block.strip()
    ]


def put_inline(parent: ET.Element, text: str, after: ET.Element | None = None) -> None:
    """Append `text` to `parent` (or after its child `after`), lines separated by `br`."""
    lines = [line for block in paragraphs(text) for line in block]
    previous = after
    for index, line in enumerate(lines):
        if index:
            previous = ET.SubElement(parent, "br")
        if previous is None:
            parent.text = (parent.text or "") + line
        else:
            previous.tail = (previous.tail or "") + line


def put_blocks(parent: ET.Element, text: str) -> None:
    """Append `text` to `parent` as `p` paragraphs, lines separated by `br`."""
    for block in paragraphs(text):
        paragraph = ET.SubElement(parent, "p")
        put_inline(paragraph, "\n".join(block))


def serialized(root: ET.Element, namespaces: dict[str, str]) -> bytes:
    """The document as UTF-8 with its declaration, indented for people who open it.

    Trees are built with the names as written (`qti-choice-interaction`, `imsmd:lom`) and the
    root declares the namespaces (`namespaces`: prefix, "" for the default, to URI): the output
    then reads as a person would write it, prefixes and all."""
    for prefix, uri in namespaces.items():
        root.set(f"xmlns:{prefix}" if prefix else "xmlns", uri)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
