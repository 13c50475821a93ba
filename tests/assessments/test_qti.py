"""QTI exchange of banks: a round trip through a QTI 3.0 package gives back the same items;
packages written by other tools (QTI 2.1 and 3.0) import with what Cascade cannot hold skipped
and said why; malformed, unsafe or oversized uploads are refused whole and write nothing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.assessments.models import Item, ItemVersion, QuestionBank
from cascade.assessments.qti_services import (
    ImportReport,
    bank_export_qti,
    bank_export_qti_report,
    bank_import_qti,
)
from cascade.assessments.services import bank_create, item_create
from cascade.audit.models import AuditEntry
from cascade.core.errors import PermissionDenied, ValidationFailed
from tests.assessments.qti_helpers import (
    COVERED,
    SAMPLES,
    bank_of_every_type,
    files_of,
    sample_files,
    sample_package,
    zipped,
)
from tests.conftest import World

QTI3 = "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0}"
CP3 = "{http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"


def _import(
    world: World, data: bytes, name: str = "package.zip", bank_name: str = "Imported"
) -> tuple[QuestionBank, ImportReport]:
    bank = bank_create(actor=world.actor("author"), name=bank_name)
    report = bank_import_qti(
        actor=world.actor("author"), bank=bank, upload=SimpleUploadedFile(name, data)
    )
    return bank, report


def _current(item_id: int) -> ItemVersion:
    version = Item.objects.get(pk=item_id).current_version
    assert version is not None
    return version


# --- the round trip ------------------------------------------------------------------------------


def test_a_bank_exported_and_imported_gives_back_the_same_items(authors: World) -> None:
    # given
    source = bank_of_every_type(authors)
    # when
    data, exported = bank_export_qti(actor=authors.actor("reviewer"), bank=source.bank)
    _, imported = _import(authors, data)
    # then every covered item comes back with its definition, points, difficulty and competency
    assert [(r.item_id, r.type) for r in exported.exported] == [
        (item.pk, item.type) for item in source.covered.values()
    ]
    assert [r.identifier for r in imported.imported] == [r.identifier for r in exported.exported]
    assert imported.skipped == []
    for original, copy in zip(source.covered.values(), imported.imported, strict=True):
        before, after = _current(original.pk), _current(copy.item_id)
        assert after.definition == before.definition
        assert (after.points, after.difficulty) == (before.points, before.difficulty)
        assert list(after.competencies.all()) == [source.competency]
        assert copy.warnings == []
    assert Item.objects.filter(bank=source.bank).count() == 12


def test_an_export_leaves_out_what_qti_cannot_hold_and_says_why(authors: World) -> None:
    # given
    source = bank_of_every_type(authors)
    # when
    report = bank_export_qti_report(actor=authors.actor("author"), bank=source.bank)
    # then
    skipped = {s.type: (s.item_id, s.identifier, s.reason) for s in report.skipped}
    assert set(skipped) == {"scenario", "configuration", "evidence", "true_false"}
    assert skipped["scenario"][0] == source.not_covered["scenario"].pk
    assert skipped["scenario"][1] == f"item-{source.not_covered['scenario'].pk}"
    assert "no QTI 3.0 equivalent" in skipped["scenario"][2]
    assert "no QTI 3.0 interaction" in skipped["configuration"][2]
    assert "rubric" in skipped["evidence"][2]
    assert skipped["true_false"] == (
        source.retired.pk,
        f"item-{source.retired.pk}",
        "It is retired: new exams no longer use it.",
    )
    warned = {r.type: r.warnings for r in report.exported if r.warnings}
    assert set(warned) == {"short_text", "ordering"}
    assert "patterns" in warned["short_text"][0]
    assert "all or nothing" in warned["ordering"][0]


def test_the_package_is_qti_3_with_a_manifest_lom_and_the_points_as_maxscore(
    authors: World,
) -> None:
    # given
    source = bank_of_every_type(authors)
    # when
    data, report = bank_export_qti(actor=authors.actor("author"), bank=source.bank)
    again, _ = bank_export_qti(actor=authors.actor("author"), bank=source.bank)
    # then
    assert again == data  # the same bank, the same bytes
    files = files_of(data)
    single = source.covered["single_choice"]
    assert sorted(files) == sorted(
        ["imsmanifest.xml"] + [f"items/item-{i.pk}.xml" for i in source.covered.values()]
    )
    manifest = ET.fromstring(files["imsmanifest.xml"])
    assert manifest.tag == f"{CP3}manifest"
    resources = manifest.findall(f"{CP3}resources/{CP3}resource")
    assert {r.get("type") for r in resources} == {"imsqti_item_xmlv3p0"}
    first = resources[0]
    assert first.get("href") == f"items/item-{single.pk}.xml"
    assert first.findtext(f".//{LOM}difficulty/{LOM}value") == "easy"
    entries = [e.findtext(f"{LOM}string") for e in first.iterfind(f".//{LOM}taxon/{LOM}entry")]
    assert entries == ["Deployment", "Firewall install"]
    item = ET.fromstring(files[f"items/item-{single.pk}.xml"])
    assert item.tag == f"{QTI3}qti-assessment-item"
    assert item.get("identifier") == f"item-{single.pk}"
    maxscore = item.find(f"{QTI3}qti-outcome-declaration[@identifier='MAXSCORE']")
    assert maxscore is not None
    assert maxscore.findtext(f".//{QTI3}qti-value") == "1"
    interaction = item.find(f".//{QTI3}qti-choice-interaction")
    assert interaction is not None
    assert interaction.get("max-choices") == "1"
    assert [c.get("identifier") for c in interaction] == ["a", "b", "c"]
    correct = item.findtext(f".//{QTI3}qti-correct-response/{QTI3}qti-value")
    assert correct == "b"
    assert len(report.exported) == len(COVERED)


def test_an_export_reads_a_bank_in_the_same_queries_whatever_its_size(authors: World) -> None:
    # given
    source = bank_of_every_type(authors)
    author = authors.actor("author")
    with CaptureQueriesContext(connection) as twelve:
        bank_export_qti_report(actor=author, bank=source.bank)
    for definition in COVERED.values():
        item_create(
            actor=author,
            bank_id=source.bank.pk,
            definition=definition,
            competency_ids=[source.competency.pk],
        )
    # when
    with CaptureQueriesContext(connection) as twenty:
        report = bank_export_qti_report(actor=author, bank=source.bank)
    # then
    assert len(report.exported) == 2 * len(COVERED)
    assert len(twenty) == len(twelve)


def test_identifiers_qti_refuses_are_prefixed_and_come_back_without_it(authors: World) -> None:
    # given: option identifiers "1".."4" (a QTI identifier must start with a letter or "_")
    source = bank_of_every_type(authors)
    item = source.covered["multiple_response"]
    # when
    data, _ = bank_export_qti(actor=authors.actor("author"), bank=source.bank)
    # then
    document = ET.fromstring(files_of(data)[f"items/item-{item.pk}.xml"])
    choices = document.iterfind(f".//{QTI3}qti-simple-choice")
    assert [c.get("identifier") for c in choices] == ["_1", "_2", "_3", "_4"]
    _, imported = _import(authors, data)
    copy = next(r for r in imported.imported if r.identifier == f"item-{item.pk}")
    assert [o["id"] for o in _current(copy.item_id).definition["options"]] == ["1", "2", "3", "4"]


def test_without_cascade_s_extension_qti_alone_carries_what_it_can_express(
    authors: World,
) -> None:
    # given: the package as a tool that drops foreign metadata would pass it on
    source = bank_of_every_type(authors)
    data, _ = bank_export_qti(actor=authors.actor("author"), bank=source.bank)
    files = files_of(data)
    files["imsmanifest.xml"] = re.sub(
        rb"<cascade:item[^>]*?(/>|>.*?</cascade:item>)", b"", files["imsmanifest.xml"], flags=re.S
    )
    # when
    _, imported = _import(authors, zipped(files))
    # then
    by_type: dict[str, Any] = {}
    for copy in imported.imported:
        by_type.setdefault(copy.type, []).append(_current(copy.item_id).definition)
    exact = ["single_choice", "true_false", "numeric", "matching"]
    for name in exact:
        assert by_type[name] == [_current(source.covered[name].pk).definition]
    rmw = _current(source.covered["multiple_response_rmw"].pk).definition
    assert rmw in by_type["multiple_response"]
    # per option is mapped with a constant QTI alone cannot name: the closest policy is kept
    assert {d["partial_credit"] for d in by_type["multiple_response"]} == {"right_minus_wrong"}
    # partial credit by pairs is Cascade's own: QTI scores the order all or nothing
    assert by_type["ordering"][0]["partial"] is False
    # patterns travel in the extension only
    assert [a["match"] for a in by_type["short_text"][0]["accepted"]] == ["exact", "exact"]


# --- packages other tools write ------------------------------------------------------------------


def test_a_qti_2_1_item_imports_with_its_stem_prompt_and_key(authors: World) -> None:
    # when
    _, report = _import(authors, (SAMPLES / "qti21_choice.xml").read_bytes(), "ike.xml")
    # then
    (imported,) = report.imported
    assert (imported.identifier, imported.title, imported.type) == (
        "i1586343210917",
        "IKE port",
        "single_choice",
    )
    version = _current(imported.item_id)
    assert version.definition == {
        "type": "single_choice",
        "prompt": "Which UDP port does IKE use by default to set up an IPsec tunnel?\n\n"
        "Choose one answer.",
        "explanation": "",
        "options": [
            {"id": "choice_1", "text": "443", "correct": False, "feedback": ""},
            {"id": "choice_2", "text": "500", "correct": True, "feedback": ""},
            {"id": "choice_3", "text": "1194", "correct": False, "feedback": ""},
        ],
        "shuffle": True,
    }
    assert (version.points, version.difficulty) == (Decimal("1.00"), 2)


def test_a_qti_2_1_package_imports_what_cascade_holds_and_skips_the_rest(authors: World) -> None:
    # given: "Firewall install" is in the framework, "Quantum routing" is not
    source = bank_of_every_type(authors)
    # when
    bank, report = _import(authors, sample_package("qti21_package"))
    # then
    assert [(r.identifier, r.type) for r in report.imported] == [
        ("mr-vpn-protocols", "multiple_response"),
        ("text-show-run", "short_text"),
        ("order-boot", "ordering"),
    ]
    assert [(s.identifier, s.reason) for s in report.skipped] == [
        ("hotspot-rack", "It uses a hotspot interaction, which no Cascade item type answers."),
        (
            "essay-design",
            "It uses an extended text (essay) interaction: Cascade grades written and uploaded "
            "work as evidence with a rubric, which QTI does not carry.",
        ),
    ]
    assert report.warnings == [
        "The assessment test test-network-basics is not imported (a bank holds items, not "
        "tests); its items are."
    ]
    protocols, show_run, boot = (_current(r.item_id) for r in report.imported)
    assert protocols.definition["partial_credit"] == "right_minus_wrong"
    assert [o["id"] for o in protocols.definition["options"] if o["correct"]] == [
        "ipsec",
        "wireguard",
    ]
    assert (protocols.points, protocols.difficulty) == (Decimal("2.00"), 3)
    assert list(protocols.competencies.all()) == [source.competency]
    assert report.imported[0].warnings == [
        "Its mapping is scored as right minus wrong, the closest Cascade policy: the share of "
        "right options chosen less the share of wrong ones, never below zero.",
        "Not in this program's competency framework, so not tagged: Quantum routing.",
    ]
    assert show_run.definition["prompt"] == (
        "On the router's console, the command that displays the running configuration is ____."
    )
    assert show_run.definition["accepted"] == [
        {"match": "exact", "value": "show running-config", "case_sensitive": False, "credit": 1.0},
        {"match": "exact", "value": "show run", "case_sensitive": False, "credit": 1.0},
        {"match": "exact", "value": "sh run", "case_sensitive": True, "credit": 0.5},
    ]
    assert (show_run.points, show_run.difficulty) == (Decimal("2.00"), 1)
    assert [s["id"] for s in boot.definition["steps"]] == ["POST", "BOOTLOADER", "KERNEL", "CONFIG"]
    assert boot.definition["partial"] is False
    assert Item.objects.filter(bank=bank).count() == 3


def test_a_qti_3_package_imports_matching_numeric_feedback_and_true_false(authors: World) -> None:
    # when
    _, report = _import(authors, sample_package("qti30_package"))
    # then
    assert [(r.identifier, r.type) for r in report.imported] == [
        ("match-ports", "matching"),
        ("numeric-latency", "numeric"),
        ("choice-feedback", "single_choice"),
        ("tf-failover", "true_false"),
    ]
    assert [(s.identifier, s.reason) for s in report.skipped] == [
        (
            "graphic-order",
            "It uses a graphic order interaction, which no Cascade item type answers.",
        )
    ]
    ports, latency, outage, failover = (_current(r.item_id) for r in report.imported)
    assert ports.definition["key"] == {"SSH": "P22", "HTTPS": "P443", "DNS": "P53"}
    assert [r["id"] for r in ports.definition["responses"]] == ["P22", "P53", "P443", "P8080"]
    assert ports.definition["partial"] is True
    assert (ports.points, ports.difficulty) == (Decimal("3.00"), 2)
    assert {k: latency.definition[k] for k in ("answer", "tolerance", "relative", "unit")} == {
        "answer": 150.0,
        "tolerance": 10.0,
        "relative": False,
        "unit": "",
    }
    assert latency.definition["prompt"] == (
        "What is the usual one-way latency budget for voice over an SD-WAN link, in milliseconds?"
    )
    assert latency.points == Decimal("2.00")
    assert [(o["id"], o["correct"], o["feedback"]) for o in outage.definition["options"]] == [
        ("reboot", False, "A reboot loses the evidence."),
        ("counters", True, "CRC errors point at the cable."),
        ("ticket", False, ""),
    ]
    assert report.imported[2].warnings == [
        "Feedback shown on outcome FEEDBACK=correct was left out: Cascade shows feedback by "
        "chosen option or always."
    ]
    assert failover.definition["statement_is_true"] is False
    assert failover.definition["prompt"] == "Stateful failover drops every established session."


def test_an_import_is_audited_with_each_item_created(authors: World) -> None:
    # when
    bank, report = _import(authors, sample_package("qti30_package"))
    # then
    ids = [r.item_id for r in report.imported]
    entry = AuditEntry.objects.get(action="question_bank.import_qti")
    assert (entry.target_id, entry.after) == (
        str(bank.pk),
        {"file": "package.zip", "imported": ids, "skipped": 1},
    )
    created = AuditEntry.objects.filter(action="item.create").values_list("target_id", flat=True)
    assert sorted(created) == sorted(str(i) for i in ids)


def test_an_export_is_audited(authors: World) -> None:
    # given
    source = bank_of_every_type(authors)
    # when
    bank_export_qti(actor=authors.actor("reviewer"), bank=source.bank)
    # then
    entry = AuditEntry.objects.get(action="question_bank.export_qti")
    assert (entry.target_id, entry.after) == (str(source.bank.pk), {"exported": 8, "skipped": 4})


# --- who may -------------------------------------------------------------------------------------


def test_reviewers_export_but_only_authors_import(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="Firewall basics")
    data = sample_package("qti30_package")
    # when / then
    with pytest.raises(PermissionDenied):
        bank_import_qti(
            actor=authors.actor("reviewer"), bank=bank, upload=SimpleUploadedFile("p.zip", data)
        )
    with pytest.raises(PermissionDenied):
        bank_export_qti(actor=authors.actor("learner"), bank=bank)
    assert Item.objects.count() == 0


# --- bad uploads ---------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="x"
    title="&lol9;" adaptive="false" time-dependent="false"/>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m">&secret;</manifest>
"""


def _with(changes: dict[str, bytes | None]) -> bytes:
    """The QTI 2.1 sample package with files replaced, added or (None) removed."""
    files = sample_files("qti21_package")
    for name, data in changes.items():
        if data is None:
            files.pop(name)
        else:
            files[name] = data
    return zipped(files)


def _manifest_with(old: bytes, new: bytes) -> bytes:
    manifest = sample_files("qti21_package")["imsmanifest.xml"]
    assert old in manifest
    return _with({"imsmanifest.xml": manifest.replace(old, new)})


BAD_UPLOADS = [
    pytest.param(b"", "empty_file", id="empty"),
    pytest.param(b"Question 1: which port?", "malformed_qti", id="not a package"),
    pytest.param(b"PK\x03\x04 a truncated zip", "malformed_qti", id="broken zip"),
    pytest.param(_with({"imsmanifest.xml": None}), "malformed_qti", id="no manifest"),
    pytest.param(
        _with({"imsmanifest.xml": b"<manifest><resources>"}), "malformed_qti", id="bad manifest"
    ),
    pytest.param(
        _with({"items/text_show_run.xml": b"<assessmentItem><itemBody>"}),
        "malformed_qti",
        id="one item malformed",
    ),
    pytest.param(
        _with({"items/text_show_run.xml": None}), "malformed_qti", id="listed file missing"
    ),
    pytest.param(
        _manifest_with(b"imsqti_item_xmlv2p1", b"webcontent"), "malformed_qti", id="no item listed"
    ),
    pytest.param(
        _with({"items/order boot.xml": b'<questestinterop><item ident="q1"/></questestinterop>'}),
        "malformed_qti",
        id="QTI 1.2 item",
    ),
    pytest.param(_with({"../outside.xml": b"<x/>"}), "unsafe_package", id="zip slip"),
    pytest.param(_with({"/etc/cron.d/job": b"* * * * *"}), "unsafe_package", id="absolute path"),
    pytest.param(_with({"items\\..\\..\\evil.xml": b"<x/>"}), "unsafe_package", id="backslashes"),
    pytest.param(
        _manifest_with(b'href="items/text_show_run.xml"', b'href="../../etc/passwd"'),
        "unsafe_package",
        id="manifest points outside",
    ),
    pytest.param(BILLION_LAUGHS, "unsafe_xml", id="billion laughs"),
    pytest.param(
        _with({"items/text_show_run.xml": BILLION_LAUGHS}), "unsafe_xml", id="billion laughs in zip"
    ),
    pytest.param(_with({"imsmanifest.xml": EXTERNAL_ENTITY}), "unsafe_xml", id="external entity"),
    pytest.param(
        (SAMPLES / "qti21_package" / "imsmanifest.xml").read_bytes(),
        "malformed_qti",
        id="a manifest alone",
    ),
    pytest.param(
        b'<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0">'
        + b"<div>" * 5000
        + b"</div>" * 5000
        + b"</qti-assessment-item>",
        "malformed_qti",
        id="nested 5000 deep",
    ),
]


@pytest.mark.parametrize(("data", "code"), BAD_UPLOADS)
def test_an_upload_that_cannot_be_read_is_refused_and_writes_nothing(
    authors: World, data: bytes, code: str
) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="Firewall basics")
    audit_rows = AuditEntry.objects.count()
    # when
    with pytest.raises(ValidationFailed) as refused:
        bank_import_qti(
            actor=authors.actor("author"), bank=bank, upload=SimpleUploadedFile("p.zip", data)
        )
    # then
    assert refused.value.code == code
    assert refused.value.details[0]["field"] == "file"
    assert (Item.objects.count(), AuditEntry.objects.count()) == (0, audit_rows)


@pytest.mark.parametrize(
    ("limits", "data", "message"),
    [
        pytest.param(
            {"upload": 1000}, sample_package("qti21_package"), "larger than", id="upload size"
        ),
        pytest.param(
            {"uncompressed": 1_000_000},
            zipped({**sample_files("qti30_package"), "images/big.bmp": bytes(2_000_000)}),
            "unpacks to more than",
            id="zip bomb",
        ),
        pytest.param({"entries": 5}, sample_package("qti21_package"), "files", id="entries"),
        pytest.param(
            {"document": 1000}, sample_package("qti30_package"), "larger than", id="document"
        ),
        pytest.param({"items": 2}, sample_package("qti30_package"), "items", id="items"),
    ],
)
def test_uploads_over_the_limits_are_refused(
    authors: World, settings: Any, limits: dict[str, int], data: bytes, message: str
) -> None:
    # given
    settings.CASCADE_QTI_LIMITS = limits
    bank = bank_create(actor=authors.actor("author"), name="Firewall basics")
    # when
    with pytest.raises(ValidationFailed) as refused:
        bank_import_qti(
            actor=authors.actor("author"), bank=bank, upload=SimpleUploadedFile("p.zip", data)
        )
    # then
    assert refused.value.code == "too_large"
    assert message in refused.value.message
    assert Item.objects.count() == 0


def test_a_zip_bomb_is_refused_before_anything_is_inflated(authors: World) -> None:
    # given: 120 MB of zeros squeezed into a few hundred kilobytes, under the upload limit
    bomb = zipped({**sample_files("qti30_package"), "items/zeros.xml": bytes(120 * 1024 * 1024)})
    bank = bank_create(actor=authors.actor("author"), name="Firewall basics")
    # when
    with pytest.raises(ValidationFailed) as refused:
        bank_import_qti(
            actor=authors.actor("author"), bank=bank, upload=SimpleUploadedFile("p.zip", bomb)
        )
    # then
    assert len(bomb) < 1024 * 1024
    assert refused.value.code == "too_large"
    assert Item.objects.count() == 0


# --- what the reader does with items it cannot hold ----------------------------------------------


def _item(body: str, declarations: str = "", processing: str = "", **attributes: str) -> bytes:
    attributes = {"adaptive": "false", "time-dependent": "false", **attributes}
    attrs = " ".join(f'{k}="{v}"' for k, v in attributes.items())
    return (
        '<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" '
        f'identifier="q1" title="Q" {attrs}>'
        f"{declarations}<qti-item-body>{body}</qti-item-body>{processing}"
        "</qti-assessment-item>"
    ).encode()


CHOICE_DECLARATION = (
    '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">'
    "<qti-correct-response><qti-value>a</qti-value></qti-correct-response>"
    "</qti-response-declaration>"
)
CHOICES = (
    '<qti-choice-interaction response-identifier="RESPONSE" max-choices="1">'
    '<qti-simple-choice identifier="a">Yes</qti-simple-choice>'
    '<qti-simple-choice identifier="b">No</qti-simple-choice>'
    "</qti-choice-interaction>"
)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        pytest.param(
            _item(f"<p>Two questions</p>{CHOICES}{CHOICES}", CHOICE_DECLARATION),
            "It has 2 interactions; a Cascade item asks one question.",
            id="two interactions",
        ),
        pytest.param(
            _item("<p>Read this.</p>"), "It has no interaction: nothing to answer.", id="none"
        ),
        pytest.param(
            _item(f"<p>Pick</p>{CHOICES}", CHOICE_DECLARATION, adaptive="true"),
            "It is adaptive (it changes as the candidate answers); Cascade's are not.",
            id="adaptive",
        ),
        pytest.param(
            _item(
                '<p>Upload your design.</p><qti-upload-interaction response-identifier="R"/>',
                '<qti-response-declaration identifier="R" cardinality="single" base-type="file"/>',
            ),
            "It uses an upload interaction: Cascade grades written and uploaded work as "
            "evidence with a rubric, which QTI does not carry.",
            id="upload",
        ),
        pytest.param(
            _item(f"<p>Pick</p>{CHOICES}"),
            "Its interaction answers a response (RESPONSE) the item does not declare.",
            id="undeclared response",
        ),
        pytest.param(
            _item(
                f"<p>Pick</p>{CHOICES}",
                '<qti-response-declaration identifier="RESPONSE" cardinality="single" '
                'base-type="identifier"/>',
            ),
            "It has no single correct choice.",
            id="no key",
        ),
        pytest.param(
            _item(
                '<p>How far?</p><qti-text-entry-interaction response-identifier="RESPONSE"/>',
                '<qti-response-declaration identifier="RESPONSE" cardinality="single" '
                'base-type="float"><qti-correct-response><qti-value>10</qti-value>'
                "</qti-correct-response></qti-response-declaration>",
                "<qti-response-processing><qti-response-condition><qti-response-if>"
                '<qti-equal tolerance-mode="absolute" tolerance="1e999 1e999">'
                '<qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/>'
                "</qti-equal></qti-response-if></qti-response-condition>"
                "</qti-response-processing>",
            ),
            "Its tolerance is not a number Cascade can use.",
            id="infinite tolerance",
        ),
        pytest.param(
            _item(
                f"<p>Pick</p>{CHOICES}",
                CHOICE_DECLARATION.replace("<qti-value>a</qti-value>", "<qti-value>z</qti-value>"),
            ),
            "It does not make a valid Cascade item: definition: Mark exactly one option correct.",
            id="key names no choice",
        ),
    ],
)
def test_items_cascade_cannot_hold_are_skipped_with_their_reason(
    authors: World, document: bytes, reason: str
) -> None:
    # when
    _, report = _import(authors, document, "q1.xml")
    # then
    assert report.imported == []
    assert [(s.identifier, s.reason) for s in report.skipped] == [("q1", reason)]


def test_images_left_out_of_an_item_are_said(authors: World) -> None:
    # given
    document = _item(
        f'<p>Which port is this? <img src="port.png" alt="A port"/></p>{CHOICES}',
        CHOICE_DECLARATION,
        '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/'
        'rptemplates/match_correct.xml"/>',
    )
    # when
    _, report = _import(authors, document, "q1.xml")
    # then
    (imported,) = report.imported
    assert imported.warnings == ["Left out (Cascade items hold text): img port.png."]
    assert _current(imported.item_id).definition["prompt"] == "Which port is this?"


def test_numbers_too_long_to_mean_anything_are_ignored(authors: World) -> None:
    # given: a choice limit of five thousand digits
    document = _item(
        f"<p>Pick</p>{CHOICES}".replace('max-choices="1"', f'max-choices="{"9" * 5000}"'),
        CHOICE_DECLARATION.replace('cardinality="single"', 'cardinality="multiple"'),
        '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/'
        'rptemplates/match_correct.xml"/>',
    )
    # when
    _, report = _import(authors, document, "q1.xml")
    # then
    (imported,) = report.imported
    assert (imported.type, imported.warnings) == ("multiple_response", [])
