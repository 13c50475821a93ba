"""Every item type: what makes a definition valid, what the learner is shown (never the key),
and how responses score, partial credit included."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from cascade.assessments.items import (
    ITEM_TYPES,
    DefinitionInvalid,
    ResponseInvalid,
    item_definition,
)
from cascade.assessments.items.exercise import Grading


def _score(definition: dict[str, Any], response: dict[str, Any]) -> float | None:
    item = item_definition(definition)
    return item.score(item.parse_response(response)).fraction


SINGLE = {
    "type": "single_choice",
    "prompt": "Which port does the management plane listen on?",
    "options": [
        {"id": "a", "text": "443", "correct": True, "feedback": "Right: HTTPS."},
        {"id": "b", "text": "80", "feedback": "Plain HTTP is disabled."},
        {"id": "c", "text": "22"},
    ],
}

MULTIPLE = {
    "type": "multiple_response",
    "prompt": "Which features need the Advanced licence?",
    "options": [
        {"id": "ips", "text": "IPS", "correct": True},
        {"id": "sdwan", "text": "SD-WAN", "correct": True},
        {"id": "nat", "text": "NAT"},
        {"id": "vlan", "text": "VLANs"},
    ],
}


# --- choice --------------------------------------------------------------------------------


def test_single_choice_scores_the_correct_option_with_its_feedback() -> None:
    item = item_definition(SINGLE)
    right = item.score(item.parse_response({"choice": "a"}))
    wrong = item.score(item.parse_response({"choice": "b"}))
    assert (right.fraction, right.feedback) == (1.0, ["Right: HTTPS."])
    assert (wrong.fraction, wrong.feedback) == (0.0, ["Plain HTTP is disabled."])


def test_single_choice_needs_exactly_one_correct_option() -> None:
    two = {**SINGLE, "options": [{**o, "correct": True} for o in SINGLE["options"]]}
    with pytest.raises(DefinitionInvalid, match="exactly one option correct"):
        item_definition(two)


@pytest.mark.parametrize(
    ("policy", "chosen", "expected"),
    [
        ("all_or_nothing", ["ips", "sdwan"], 1.0),
        ("all_or_nothing", ["ips"], 0.0),
        # right minus wrong: half the right ones (0.5) minus half the wrong ones (0.5)
        ("right_minus_wrong", ["ips"], 0.5),
        ("right_minus_wrong", ["ips", "nat"], 0.0),
        ("right_minus_wrong", ["ips", "sdwan", "nat"], 0.5),
        ("right_minus_wrong", ["ips", "sdwan", "nat", "vlan"], 0.0),
        ("right_minus_wrong", [], 0.0),
        # per option: options classified right out of four
        ("per_option", ["ips"], 0.75),
        ("per_option", ["ips", "nat"], 0.5),
        ("per_option", [], 0.5),
        ("per_option", ["nat", "vlan"], 0.0),
    ],
)
def test_multiple_response_partial_credit(policy: str, chosen: list[str], expected: float) -> None:
    assert _score({**MULTIPLE, "partial_credit": policy}, {"choices": chosen}) == expected


def test_true_false() -> None:
    statement = {
        "type": "true_false",
        "prompt": "VLAN 1 can be deleted.",
        "statement_is_true": False,
    }
    assert _score(statement, {"value": False}) == 1.0
    assert _score(statement, {"value": True}) == 0.0


# --- typed answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tolerance", "relative", "value", "expected"),
    [
        (0, False, 1500, 1.0),
        (0, False, 1500.5, 0.0),
        (10, False, 1490, 1.0),
        (10, False, 1489.9, 0.0),
        (0.05, True, 1575, 1.0),  # within 5% of 1500
        (0.05, True, 1576, 0.0),
    ],
)
def test_numeric_tolerance(tolerance: float, relative: bool, value: float, expected: float) -> None:
    definition = {
        "type": "numeric",
        "prompt": "The MTU of the overlay?",
        "answer": 1500,
        "tolerance": tolerance,
        "relative": relative,
    }
    assert _score(definition, {"value": value}) == expected


def test_numeric_floating_point_sums_are_exact_enough() -> None:
    definition = {"type": "numeric", "prompt": "0.1 + 0.2?", "answer": 0.3}
    assert _score(definition, {"value": 0.1 + 0.2}) == 1.0


SHORT = {
    "type": "short_text",
    "prompt": "Which command shows the routing table?",
    "accepted": [
        {"value": "show ip route"},
        {"match": "pattern", "value": r"show\s+route(\s+table)?", "credit": 0.5},
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show ip route", 1.0),
        ("  SHOW   ip Route ", 1.0),
        ("show route table", 0.5),
        ("show routes", 0.0),
    ],
)
def test_short_text_accepts_exact_answers_and_patterns(text: str, expected: float) -> None:
    assert _score(SHORT, {"text": text}) == expected


def test_a_catastrophic_pattern_times_out_instead_of_stalling() -> None:
    definition = {
        "type": "short_text",
        "prompt": "?",
        "accepted": [{"match": "pattern", "value": r"(a+)+$"}],
    }
    started = time.perf_counter()
    assert _score(definition, {"text": "a" * 40 + "!"}) == 0.0
    assert time.perf_counter() - started < 2


def test_an_invalid_pattern_is_refused_when_authored() -> None:
    with pytest.raises(DefinitionInvalid, match="Not a valid pattern"):
        item_definition({**SHORT, "accepted": [{"match": "pattern", "value": "(unclosed"}]})


# --- arrangement ---------------------------------------------------------------------------

ORDERING = {
    "type": "ordering",
    "prompt": "Put the upgrade steps in order.",
    "steps": [
        {"id": "backup", "text": "Back up the configuration"},
        {"id": "upload", "text": "Upload the image"},
        {"id": "verify", "text": "Verify the checksum"},
        {"id": "reboot", "text": "Reboot"},
    ],
}


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["backup", "upload", "verify", "reboot"], 1.0),
        (["upload", "backup", "verify", "reboot"], 5 / 6),  # one of six pairs swapped
        (["reboot", "verify", "upload", "backup"], 0.0),  # reversed
    ],
)
def test_ordering_partial_credit_counts_pairs_in_order(order: list[str], expected: float) -> None:
    assert _score(ORDERING, {"order": order}) == pytest.approx(expected)
    assert _score({**ORDERING, "partial": False}, {"order": order}) == (1.0 if expected == 1 else 0)


def test_ordering_needs_every_step_once() -> None:
    item = item_definition(ORDERING)
    with pytest.raises(ResponseInvalid, match="every step exactly once"):
        item.parse_response({"order": ["backup", "upload", "verify"]})


MATCHING = {
    "type": "matching",
    "prompt": "Match each port to its service.",
    "prompts": [
        {"id": "p22", "text": "22"},
        {"id": "p53", "text": "53"},
        {"id": "p443", "text": "443"},
    ],
    "responses": [
        {"id": "ssh", "text": "SSH"},
        {"id": "dns", "text": "DNS"},
        {"id": "https", "text": "HTTPS"},
        {"id": "smtp", "text": "SMTP"},
    ],
    "key": {"p22": "ssh", "p53": "dns", "p443": "https"},
}


def test_matching_scores_the_share_of_prompts_matched() -> None:
    assert _score(MATCHING, {"pairs": {"p22": "ssh", "p53": "dns", "p443": "https"}}) == 1.0
    assert _score(MATCHING, {"pairs": {"p22": "ssh", "p53": "smtp"}}) == pytest.approx(1 / 3)
    no_partial = {**MATCHING, "partial": False}
    assert _score(no_partial, {"pairs": {"p22": "ssh", "p53": "dns"}}) == 0.0


def test_matching_key_must_cover_every_prompt() -> None:
    with pytest.raises(DefinitionInvalid, match="every prompt"):
        item_definition({**MATCHING, "key": {"p22": "ssh"}})


# --- scenario ------------------------------------------------------------------------------

SCENARIO = {
    "type": "scenario",
    "prompt": "A customer calls: the branch office lost its internet link.",
    "start": "call",
    "steps": [
        {
            "id": "call",
            "situation": "The customer is upset. What do you do first?",
            "options": [
                {"id": "ask", "text": "Ask what changed", "next": "logs", "score": 2},
                {
                    "id": "reboot",
                    "text": "Reboot the device",
                    "next": "",
                    "score": -1,
                    "feedback": "Rebooting first loses the evidence.",
                },
            ],
        },
        {
            "id": "logs",
            "situation": "They changed the WAN cable yesterday.",
            "options": [
                {
                    "id": "check",
                    "text": "Check the interface counters",
                    "score": 3,
                    "feedback": "The counters show CRC errors: a bad cable.",
                },
                {"id": "escalate", "text": "Escalate to the vendor", "score": 1},
            ],
        },
    ],
}


def test_a_scenario_path_earns_its_scores_as_a_share_of_the_best_path() -> None:
    item = item_definition(SCENARIO)
    assert item.best_score() == 5
    best = item.score(item.parse_response({"path": ["ask", "check"]}))
    assert (best.fraction, best.feedback) == (1.0, ["The counters show CRC errors: a bad cable."])
    assert _score(SCENARIO, {"path": ["ask", "escalate"]}) == pytest.approx(3 / 5)
    assert _score(SCENARIO, {"path": ["reboot"]}) == 0.0  # negative totals floor at zero


def test_a_scenario_is_served_one_step_at_a_time_without_scores_or_branches() -> None:
    item = item_definition(SCENARIO)
    assert item.public()["step"] == {
        "id": "call",
        "situation": "The customer is upset. What do you do first?",
        "options": [
            {"id": "ask", "text": "Ask what changed"},
            {"id": "reboot", "text": "Reboot the device"},
        ],
    }
    assert item.next_step(["ask"])["id"] == "logs"
    assert item.next_step(["ask", "check"]) is None


def test_a_scenario_path_must_follow_the_case_and_finish() -> None:
    item = item_definition(SCENARIO)
    with pytest.raises(ResponseInvalid, match="has no option"):
        item.parse_response({"path": ["check"]})
    with pytest.raises(ResponseInvalid, match="Finish the case"):
        item.parse_response({"path": ["ask"]})
    with pytest.raises(ResponseInvalid, match="already ended"):
        item.parse_response({"path": ["reboot", "ask"]})


def test_a_scenario_that_loops_or_strands_a_step_is_refused() -> None:
    looping = json.loads(json.dumps(SCENARIO))
    looping["steps"][1]["options"][1]["next"] = "call"
    with pytest.raises(DefinitionInvalid, match="loops back"):
        item_definition(looping)
    stranded = json.loads(json.dumps(SCENARIO))
    stranded["steps"].append(
        {"id": "orphan", "situation": "?", "options": [{"id": "x", "text": "x"}]}
    )
    with pytest.raises(DefinitionInvalid, match="No path reaches step orphan"):
        item_definition(stranded)


# --- practical -----------------------------------------------------------------------------

CONFIGURATION = {
    "type": "configuration",
    "prompt": "Configure the guest VLAN on port 12.",
    "fields": [
        {
            "id": "vlan",
            "label": "VLAN id",
            "kind": "number",
            "check": "range",
            "minimum": 100,
            "maximum": 199,
            "points": 2,
            "feedback": "Guest VLANs are 100-199.",
        },
        {
            "id": "mode",
            "label": "Port mode",
            "kind": "choice",
            "choices": ["access", "trunk"],
            "check": "equals",
            "value": "access",
        },
        {"id": "name", "label": "VLAN name", "check": "pattern", "value": r"guest-[a-z]+"},
    ],
}


def test_a_configuration_earns_the_points_of_the_fields_that_pass() -> None:
    item = item_definition(CONFIGURATION)
    perfect = {"values": {"vlan": "150", "mode": "access", "name": "guest-lyon"}}
    assert item.score(item.parse_response(perfect)).fraction == 1.0
    partly = item.score(item.parse_response({"values": {"vlan": "20", "mode": "access"}}))
    assert (partly.fraction, partly.feedback) == (0.25, ["Guest VLANs are 100-199."])


def test_a_configuration_refuses_unknown_fields_and_choices() -> None:
    item = item_definition(CONFIGURATION)
    with pytest.raises(ResponseInvalid, match="Unknown field"):
        item.parse_response({"values": {"speed": "1000"}})
    with pytest.raises(ResponseInvalid, match="not one of its choices"):
        item.parse_response({"values": {"mode": "hybrid"}})


EVIDENCE = {
    "type": "evidence",
    "prompt": "Upload a screenshot of the working site-to-site tunnel.",
    "rubric": [
        {
            "id": "tunnel",
            "title": "Tunnel is up",
            "levels": [
                {"id": "no", "label": "Not shown", "points": 0},
                {"id": "yes", "label": "Up, both phases", "points": 3},
            ],
        },
        {
            "id": "crypto",
            "title": "Strong crypto",
            "levels": [
                {"id": "weak", "label": "Weak", "points": 0},
                {"id": "ok", "label": "Acceptable", "points": 1},
                {"id": "strong", "label": "Strong", "points": 2},
            ],
        },
    ],
}


def test_evidence_waits_for_a_reviewer_who_grades_it_with_the_rubric() -> None:
    item = item_definition(EVIDENCE)
    assert item.automatic is False
    assert item.score(item.parse_response({"files": ["upload-1"]})).pending
    graded = item.grade(Grading(levels={"tunnel": "yes", "crypto": "ok"}, comment="Use AES-256."))
    assert (graded.fraction, graded.feedback) == (0.8, ["Use AES-256."])
    with pytest.raises(ResponseInvalid, match="every criterion"):
        item.grade(Grading(levels={"tunnel": "yes"}))


# --- what every type shares ----------------------------------------------------------------

DEFINITIONS = [SINGLE, MULTIPLE, SHORT, ORDERING, MATCHING, SCENARIO, CONFIGURATION, EVIDENCE]
SECRETS = [
    '"correct"',
    '"feedback"',
    '"score"',
    '"key"',
    '"accepted"',
    '"next"',
    "show ip route",
    "Rebooting first",
    "guest-[a-z]",
    '"minimum"',
    '"points"',
]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d["type"])
def test_what_the_learner_is_shown_holds_no_key_score_or_feedback(
    definition: dict[str, Any],
) -> None:
    served = json.dumps(item_definition(definition).public())
    assert [secret for secret in SECRETS if secret in served] == []


def test_every_type_is_known_and_an_unknown_one_is_refused() -> None:
    assert {d["type"] for d in DEFINITIONS} | {"true_false", "numeric"} == set(ITEM_TYPES)
    with pytest.raises(DefinitionInvalid):
        item_definition({"type": "essay", "prompt": "?"})


def test_unknown_fields_are_refused_in_definitions_and_responses() -> None:
    with pytest.raises(DefinitionInvalid, match="Extra inputs"):
        item_definition({**SINGLE, "colour": "red"})
    with pytest.raises(ResponseInvalid, match="Extra inputs"):
        item_definition(SINGLE).parse_response({"choice": "a", "also": "b"})
    with pytest.raises(ResponseInvalid, match="Unknown option"):
        item_definition(SINGLE).parse_response({"choice": "z"})


def test_definition_errors_say_where() -> None:
    with pytest.raises(DefinitionInvalid) as error:
        item_definition({**SINGLE, "options": [SINGLE["options"][0], {"id": "b", "text": ""}]})
    assert [e["field"] for e in error.value.errors] == ["options.1.text"]
