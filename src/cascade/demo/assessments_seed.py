"""Seeding the demo program's assessments: a competency framework, a question bank for the
SD-WAN Edge 5000 with an item of every type (a troubleshooting scenario, a configuration
exercise and evidence among them), the "SD-WAN Edge Associate" exam (fixed, timed, with a bar
per competency), a drawn "Security knowledge check" (a blueprint), and past attempts by thirty
partner people so that results, the competency profile and the item analysis have data, with
two pieces of evidence waiting in the graders' queue.

Everything goes through the services, as an author and the people taking the exams would.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from cascade.access.actor import actor_for_person
from cascade.assessments.attempt_services import attempt_answer, attempt_start, attempt_submit
from cascade.assessments.exam_services import (
    DrawSpec,
    ExamRules,
    exam_blueprint_set,
    exam_create,
    exam_form_set,
    exam_publish,
)
from cascade.assessments.models import AttemptItem, EvidenceFile, Exam
from cascade.assessments.services import (
    bank_create,
    competency_create,
    competency_domain_create,
    item_create,
)
from cascade.core.scoping import tenant_scope
from cascade.demo.learning_seed import _login
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.tenancy.models import Tenant

Progress = Callable[[str], None]
ASSOCIATE_EXAM = "SD-WAN Edge Associate"
TAKERS = 30

FRAMEWORK = {
    "Deployment": ["Edge installation", "Troubleshooting"],
    "Selling": ["Licensing", "Objection handling"],
}


def _option(key: str, text: str, correct: bool = False, feedback: str = "") -> dict[str, Any]:
    return {"id": key, "text": text, "correct": correct, "feedback": feedback}


# (competency, difficulty, points, definition)
ITEMS: list[tuple[str, int, int, dict[str, Any]]] = [
    (
        "Edge installation",
        1,
        1,
        {
            "type": "single_choice",
            "prompt": "Which port does the Edge 5000 management interface listen on?",
            "options": [
                _option("a", "443 (HTTPS)", True, "Right: management is HTTPS only."),
                _option("b", "80 (HTTP)", feedback="Plain HTTP is disabled by default."),
                _option("c", "22 (SSH)", feedback="SSH is off until enabled in the console."),
            ],
            "explanation": "The web console and the API both listen on 443.",
        },
    ),
    (
        "Licensing",
        2,
        2,
        {
            "type": "multiple_response",
            "prompt": "Which features need the Advanced licence?",
            "options": [
                _option("ips", "Intrusion prevention", True),
                _option("sdwan", "Application-aware routing", True),
                _option("nat", "NAT"),
                _option("vlan", "VLANs"),
            ],
            "partial_credit": "right_minus_wrong",
        },
    ),
    (
        "Edge installation",
        1,
        1,
        {
            "type": "true_false",
            "prompt": "The Edge 5000 can be powered over PoE+.",
            "statement_is_true": False,
            "explanation": "It needs its own 65 W supply.",
        },
    ),
    (
        "Edge installation",
        2,
        1,
        {
            "type": "numeric",
            "prompt": "How many watts does the Edge 5000 draw at full load?",
            "answer": 48,
            "tolerance": 2,
        },
    ),
    (
        "Troubleshooting",
        2,
        1,
        {
            "type": "short_text",
            "prompt": "Which console command shows the state of every tunnel?",
            "accepted": [{"match": "exact", "value": "show tunnels"}],
        },
    ),
    (
        "Edge installation",
        2,
        2,
        {
            "type": "ordering",
            "prompt": "Put the upgrade steps in order.",
            "steps": [
                {"id": "backup", "text": "Back up the configuration"},
                {"id": "upload", "text": "Upload the image"},
                {"id": "verify", "text": "Verify the checksum"},
                {"id": "reboot", "text": "Reboot into the new image"},
            ],
        },
    ),
    (
        "Licensing",
        1,
        2,
        {
            "type": "matching",
            "prompt": "Match each customer to the licence they need.",
            "prompts": [
                {"id": "branch", "text": "A branch office with one link"},
                {"id": "retail", "text": "A retail chain with card payments"},
            ],
            "responses": [
                {"id": "essentials", "text": "Essentials"},
                {"id": "advanced", "text": "Advanced"},
                {"id": "enterprise", "text": "Enterprise"},
            ],
            "key": {"branch": "essentials", "retail": "advanced"},
        },
    ),
    (
        "Troubleshooting",
        3,
        4,
        {
            "type": "scenario",
            "prompt": "A customer calls: their branch office lost its internet link this morning.",
            "start": "call",
            "steps": [
                {
                    "id": "call",
                    "situation": "The customer is upset and wants it fixed now. What first?",
                    "options": [
                        {
                            "id": "ask",
                            "text": "Ask what changed since yesterday",
                            "next": "cable",
                            "score": 2,
                            "feedback": "Good: changes explain most outages.",
                        },
                        {
                            "id": "reboot",
                            "text": "Have them reboot the Edge",
                            "next": "after-reboot",
                            "score": -1,
                            "feedback": "A reboot first wipes the logs you need.",
                        },
                    ],
                },
                {
                    "id": "cable",
                    "situation": "They replaced the WAN cable yesterday evening.",
                    "options": [
                        {
                            "id": "counters",
                            "text": "Check the WAN interface counters",
                            "score": 3,
                            "feedback": "The counters show CRC errors: a bad cable.",
                        },
                        {
                            "id": "escalate",
                            "text": "Open a case with the vendor",
                            "score": 1,
                            "feedback": "It works, but you could have found it yourself.",
                        },
                    ],
                },
                {
                    "id": "after-reboot",
                    "situation": "The Edge is back but the link is still down.",
                    "options": [
                        {
                            "id": "counters",
                            "text": "Check the WAN interface counters",
                            "score": 2,
                            "feedback": "CRC errors: the cable they changed is bad.",
                        },
                        {"id": "wait", "text": "Wait for it to come back", "score": 0},
                    ],
                },
            ],
        },
    ),
    (
        "Edge installation",
        3,
        3,
        {
            "type": "configuration",
            "prompt": "Configure the guest network on port 12.",
            "fields": [
                {
                    "id": "vlan",
                    "label": "VLAN id",
                    "kind": "number",
                    "check": "range",
                    "minimum": 100,
                    "maximum": 199,
                    "points": 2,
                    "feedback": "Guest VLANs are 100 to 199.",
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
            ],
        },
    ),
    (
        "Objection handling",
        2,
        3,
        {
            "type": "evidence",
            "prompt": "Upload the one-page answer you would send a customer who finds the "
            "Advanced licence too expensive.",
            "rubric": [
                {
                    "id": "value",
                    "title": "Speaks to the customer's value",
                    "levels": [
                        {"id": "no", "label": "Not at all", "points": 0},
                        {"id": "some", "label": "In general terms", "points": 1},
                        {"id": "yes", "label": "With their numbers", "points": 2},
                    ],
                },
                {
                    "id": "tone",
                    "title": "Tone",
                    "levels": [
                        {"id": "poor", "label": "Defensive", "points": 0},
                        {"id": "good", "label": "Helpful", "points": 1},
                    ],
                },
            ],
            "accepted_types": ["application/pdf", "image/png", "image/jpeg"],
        },
    ),
]

# Answers people give: right ones, and the usual mistakes.
RIGHT: dict[str, dict[str, Any]] = {
    "single_choice": {"choice": "a"},
    "multiple_response": {"choices": ["ips", "sdwan"]},
    "true_false": {"value": False},
    "numeric": {"value": 47},
    "short_text": {"text": "show tunnels"},
    "ordering": {"order": ["backup", "upload", "verify", "reboot"]},
    "matching": {"pairs": {"branch": "essentials", "retail": "advanced"}},
    "scenario": {"path": ["ask", "counters"]},
    "configuration": {"values": {"vlan": "120", "mode": "access"}},
}
WRONG: dict[str, dict[str, Any]] = {
    "single_choice": {"choice": "b"},
    "multiple_response": {"choices": ["ips", "nat"]},
    "true_false": {"value": True},
    "numeric": {"value": 65},
    "short_text": {"text": "show interfaces"},
    "ordering": {"order": ["upload", "backup", "reboot", "verify"]},
    "matching": {"pairs": {"branch": "advanced", "retail": "advanced"}},
    "scenario": {"path": ["reboot", "wait"]},
    "configuration": {"values": {"vlan": "20", "mode": "trunk"}},
}


def seed_assessments(*, tenant: Tenant, seed: int, progress: Progress) -> dict[str, int]:
    """Write the demo assessments into `tenant` (nothing when it has exams already)."""
    with tenant_scope(tenant):
        if Exam.objects.exists():
            return {}
        progress("Writing assessments: competencies, a bank of every item type, two exams...")
        author = actor_for_person(
            tenant=tenant, person=Person.objects.get(email=_login("author").email(tenant.slug))
        )
        competencies = {}
        for position, (domain_name, names) in enumerate(FRAMEWORK.items()):
            domain = competency_domain_create(actor=author, name=domain_name, position=position)
            for name in names:
                competencies[name] = competency_create(actor=author, domain_id=domain.pk, name=name)
        bank = bank_create(
            actor=author,
            name="SD-WAN Edge 5000",
            description="Installation, licensing, troubleshooting and selling the Edge 5000.",
        )
        items = [
            item_create(
                actor=author,
                bank_id=bank.pk,
                definition=definition,
                points=points,
                difficulty=difficulty,
                competency_ids=[competencies[competency].pk],
            )
            for competency, difficulty, points, definition in ITEMS
        ]
        associate = exam_create(
            actor=author,
            name=ASSOCIATE_EXAM,
            mode="fixed",
            description="The practical exam of the SD-WAN Edge Associate certification.",
            rules=ExamRules(
                time_limit_minutes=30,
                attempts_limit=3,
                cooldown_hours=24,
                passing_share="0.7",
                competency_passing={competencies["Troubleshooting"].pk: "0.5"},
            ),
        )
        exam_form_set(actor=author, exam=associate, item_ids=[i.pk for i in items])
        associate = exam_publish(actor=author, exam=associate)
        check = exam_create(
            actor=author,
            name="Edge 5000 knowledge check",
            mode="blueprint",
            description="Five questions drawn afresh for every attempt.",
            rules=ExamRules(passing_share="0.6", feedback_policy="after_submission"),
        )
        exam_blueprint_set(
            actor=author,
            exam=check,
            draws=[
                DrawSpec(
                    count=3, bank_id=bank.pk, competency_id=competencies["Edge installation"].pk
                ),
                DrawSpec(count=2, bank_id=bank.pk, competency_id=competencies["Licensing"].pk),
            ],
        )
        exam_publish(actor=author, exam=check)
        attempts = _past_attempts(tenant, associate, random.Random(f"{seed}:assessments"))
    return {"assessment items": len(items), "exams": 2, "exam attempts": attempts}


def _past_attempts(tenant: Tenant, exam: Exam, rng: random.Random) -> int:
    """Thirty partner people took the associate exam: stronger people answer more right, so
    the item analysis finds discriminating items. The demo logins keep their attempts free."""
    demo_emails = {login.email(tenant.slug) for login in _demo_logins()}
    memberships = (
        Membership.objects.filter(status=MembershipStatus.ACTIVE, organization__isnull=False)
        .exclude(person__email__in=demo_emails)
        .select_related("person")
        .order_by("id")[:TAKERS]
    )
    taken = 0
    for n, membership in enumerate(memberships):
        actor = actor_for_person(tenant=tenant, person=membership.person)
        ability = rng.random()
        attempt = attempt_start(actor=actor, exam=exam)
        for row in AttemptItem.objects.filter(attempt=attempt).select_related("version"):
            kind = row.version.definition["type"]
            if kind == "evidence":
                if n % 15:
                    continue  # most leave the optional evidence out
                stored = EvidenceFile.objects.create(
                    tenant=tenant,
                    attempt_item=row,
                    file="evidence/demo/objection-answer.pdf",
                    original_name="objection-answer.pdf",
                    content_type="application/pdf",
                    size=18_432,
                    sha256="0" * 64,
                )
                response: dict[str, Any] = {"files": [str(stored.pk)], "note": "My answer."}
            else:
                response = RIGHT[kind] if rng.random() < 0.25 + 0.7 * ability else WRONG[kind]
            attempt_answer(actor=actor, attempt=attempt, position=row.position, response=response)
        attempt_submit(actor=actor, attempt=attempt)
        taken += 1
    return taken


def _demo_logins() -> tuple[Any, ...]:
    from cascade.demo.logins import DEMO_LOGINS

    return DEMO_LOGINS
