"""Shared by the QTI tests: a bank holding one item of every type, and packages built from the
sample folders (tests/assessments/qti_samples) or from bytes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cascade.assessments.models import Competency, Item, QuestionBank
from cascade.assessments.services import (
    bank_create,
    competency_create,
    competency_domain_create,
    item_create,
    item_retire,
)
from tests.conftest import World

SAMPLES = Path(__file__).parent / "qti_samples"

# One definition of each type, with what QTI must carry: feedback, an explanation, several
# paragraphs, identifiers QTI would not accept as they are, patterns among accepted answers.
COVERED: dict[str, dict[str, Any]] = {
    "single_choice": {
        "type": "single_choice",
        "prompt": "Which port does IKE use by default?\n\nChoose one.",
        "options": [
            {"id": "a", "text": "443", "feedback": "That is HTTPS."},
            {"id": "b", "text": "500", "correct": True, "feedback": "Right: UDP 500."},
            {"id": "c", "text": "1194"},
        ],
        "explanation": "IKE negotiates on UDP 500, and 4500 behind NAT.",
        "shuffle": False,
    },
    "true_false": {
        "type": "true_false",
        "prompt": "Stateful failover keeps established sessions.",
        "statement_is_true": True,
        "feedback_false": "The session table is synchronized.",
    },
    "multiple_response": {
        "type": "multiple_response",
        "prompt": "Which protocols build encrypted tunnels?",
        "options": [
            {"id": "1", "text": "IPsec", "correct": True},
            {"id": "2", "text": "SMTP"},
            {"id": "3", "text": "WireGuard", "correct": True},
            {"id": "4", "text": "SNMP"},
        ],
        "partial_credit": "per_option",
    },
    "multiple_response_rmw": {
        "type": "multiple_response",
        "prompt": "Which of these are routing protocols?",
        "options": [
            {"id": "ospf", "text": "OSPF", "correct": True},
            {"id": "bgp", "text": "BGP", "correct": True},
            {"id": "http", "text": "HTTP"},
        ],
        "partial_credit": "right_minus_wrong",
    },
    "numeric": {
        "type": "numeric",
        "prompt": "What is the voice latency budget?",
        "answer": 150,
        "tolerance": 0.05,
        "relative": True,
        "unit": "ms",
        "explanation": "ITU-T G.114.",
    },
    "short_text": {
        "type": "short_text",
        "prompt": "Which command shows the running configuration?",
        "accepted": [
            {"value": "show running-config"},
            {"match": "pattern", "value": r"sh(ow)? run(ning)?(-config)?", "credit": 0.5},
            {"value": "SHOW RUN", "case_sensitive": True, "credit": 0.3},
        ],
    },
    "ordering": {
        "type": "ordering",
        "prompt": "Put the boot steps in order.",
        "steps": [
            {"id": "post", "text": "Power-on self test"},
            {"id": "loader", "text": "Boot loader"},
            {"id": "kernel", "text": "Kernel"},
        ],
    },
    "matching": {
        "type": "matching",
        "prompt": "Match each service to its port.",
        "prompts": [{"id": "ssh", "text": "SSH"}, {"id": "dns", "text": "DNS"}],
        "responses": [
            {"id": "p22", "text": "22"},
            {"id": "p53", "text": "53"},
            {"id": "p80", "text": "80"},
        ],
        "key": {"ssh": "p22", "dns": "p53"},
    },
}

NOT_COVERED: dict[str, dict[str, Any]] = {
    "scenario": {
        "type": "scenario",
        "prompt": "A customer calls: the branch lost its link.",
        "start": "call",
        "steps": [
            {
                "id": "call",
                "situation": "What do you do first?",
                "options": [
                    {"id": "ask", "text": "Ask what changed", "score": 2},
                    {"id": "reboot", "text": "Reboot", "score": -1},
                ],
            }
        ],
    },
    "configuration": {
        "type": "configuration",
        "prompt": "Configure the guest VLAN.",
        "fields": [{"id": "vlan", "label": "VLAN id", "kind": "number", "value": "100"}],
    },
    "evidence": {
        "type": "evidence",
        "prompt": "Upload a screenshot of the tunnel.",
        "rubric": [
            {
                "id": "up",
                "title": "Tunnel is up",
                "levels": [
                    {"id": "no", "label": "Not shown", "points": 0},
                    {"id": "yes", "label": "Up", "points": 2},
                ],
            }
        ],
    },
}


@dataclass
class Bank:
    bank: QuestionBank
    competency: Competency
    covered: dict[str, Item]
    not_covered: dict[str, Item]
    retired: Item


def bank_of_every_type(world: World) -> Bank:
    """A bank with one item of each type (points and difficulty varying), the covered ones
    tagged with a competency, and a retired item."""
    author = world.actor("author")
    domain = competency_domain_create(actor=author, name="Deployment")
    competency = competency_create(actor=author, domain_id=domain.pk, name="Firewall install")
    bank = bank_create(actor=author, name="Firewall basics")
    covered = {}
    for index, (name, definition) in enumerate(COVERED.items()):
        covered[name] = item_create(
            actor=author,
            bank_id=bank.pk,
            definition=definition,
            points=["1", "2.5", "3", "0.75"][index % 4],
            difficulty=1 + index % 3,
            competency_ids=[competency.pk],
        )
    not_covered = {
        name: item_create(actor=author, bank_id=bank.pk, definition=definition)
        for name, definition in NOT_COVERED.items()
    }
    retired = item_create(actor=author, bank_id=bank.pk, definition=COVERED["true_false"])
    item_retire(actor=author, item=retired)
    return Bank(bank, competency, covered, not_covered, retired)


def zipped(files: dict[str, bytes]) -> bytes:
    """A zip of `files` (names as given, even unsafe ones)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def sample_files(folder: str) -> dict[str, bytes]:
    root = SAMPLES / folder
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def sample_package(folder: str) -> bytes:
    return zipped(sample_files(folder))


def files_of(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# One QTI 3.0 item, as the API tests upload it.
QTI_ITEM = b"""<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="mgmt-port"
    title="Management port" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>a</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>
    <p>Which port does the management plane listen on?</p>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
      <qti-simple-choice identifier="a">443</qti-simple-choice>
      <qti-simple-choice identifier="b">80</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing
      template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>
</qti-assessment-item>
"""
