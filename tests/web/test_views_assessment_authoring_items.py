"""Writing items from the pages: the structured editor of each common type and the JSON editor
of the others, the live preview (the learner's view, the key, a scenario's map, or what is
wrong in readable words), corrections as new versions with a note, retirement, the version
history. Refused input is shown beside its input and writes nothing."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cascade.assessments.models import Item, ItemVersion
from cascade.assessments.services import item_retire, item_revise
from tests.web import test_views_assessment_authoring as scene
from tests.web.test_views_assessment_authoring import (
    SCENARIO,
    SINGLE,
    Authoring,
    written,
)

# The pages' scene: an author, a reviewer, a framework, a bank with two items, two draft exams.
authoring = scene.authoring


def _new(a: Authoring, item_type: str) -> str:
    return f"/program/assessments/banks/{a.bank.pk}/items/new/?type={item_type}"


def _post(a: Authoring, item_type: str, fields: dict[str, Any], who: str = "author") -> Any:
    data = {"type": item_type, "points": "1", "difficulty": "2", **fields}
    return a.world.browser(who).post(f"/program/assessments/banks/{a.bank.pk}/items/new/", data)


def _newest(a: Authoring) -> dict[str, Any]:
    item = Item.objects.filter(bank=a.bank).order_by("-pk").first()
    assert item is not None
    assert item.current_version is not None
    return item.current_version.definition


def _errors(response: Any) -> list[tuple[str, str]]:
    return [(e.label, e.message) for e in response.context["errors"]]


# --- the structured editors -----------------------------------------------------------------------


def test_an_author_writes_a_single_choice_item_with_its_tags(authoring: Authoring) -> None:
    # when
    response = _post(
        authoring,
        "single_choice",
        {
            "prompt": "Which zone holds the web servers?",
            "option-rows": "4",
            "option-0-text": "LAN",
            "option-1-text": "DMZ",
            "option-1-feedback": "Exposed servers live apart.",
            "option-2-text": "",
            "option-3-text": "WAN",
            "correct": "1",
            "shuffle": "1",
            "explanation": "A DMZ separates exposed servers.",
            "points": "3",
            "difficulty": "3",
            "competency_ids": [str(authoring.install.pk), str(authoring.objections.pk)],
        },
    )
    # then
    item = Item.objects.filter(bank=authoring.bank).order_by("-pk").first()
    assert item is not None
    assert (response.status_code, response["Location"]) == (
        302,
        f"/program/assessments/items/{item.pk}/",
    )
    version = item.current_version
    assert version is not None
    assert version.definition == {
        "type": "single_choice",
        "prompt": "Which zone holds the web servers?",
        "explanation": "A DMZ separates exposed servers.",
        "options": [
            {"id": "a", "text": "LAN", "correct": False, "feedback": ""},
            {"id": "b", "text": "DMZ", "correct": True, "feedback": "Exposed servers live apart."},
            {"id": "c", "text": "WAN", "correct": False, "feedback": ""},
        ],
        "shuffle": True,
    }
    assert (str(version.points), version.difficulty, version.number) == ("3.00", 3, 1)
    assert sorted(c.name for c in version.competencies.all()) == [
        "Firewall install",
        "Objection handling",
    ]


def test_a_single_choice_without_a_correct_option_is_refused_beside_the_options(
    authoring: Authoring,
) -> None:
    # given
    before = written()
    # when
    response = _post(
        authoring,
        "single_choice",
        {
            "prompt": "Which zone?",
            "option-rows": "3",
            "option-0-text": "LAN",
            "option-1-text": "DMZ",
            "option-1-feedback": "Exposed servers live apart.",
        },
    )
    # then
    assert response.status_code == 422
    assert written() == before
    assert _errors(response) == [("Options", "Mark exactly one option correct.")]
    html = response.content.decode()
    assert '<a href="#group-option">Options</a>: Mark exactly one option correct.' in html
    assert 'value="Exposed servers live apart."' in html  # what was typed stays


def test_an_option_without_text_is_named_by_its_row(authoring: Authoring) -> None:
    response = _post(
        authoring,
        "single_choice",
        {
            "prompt": "Which zone?",
            "option-rows": "3",
            "option-0-text": "LAN",
            "option-1-feedback": "Feedback only.",
            "correct": "0",
        },
    )
    assert response.status_code == 422
    assert _errors(response) == [("Option 2", "Fill this in.")]
    html = response.content.decode()
    assert 'id="id_option-1-text" value="" aria-invalid="true"' in html
    assert '<a href="#id_option-1-text">Option 2</a>: Fill this in.' in html


def test_the_other_structured_types_make_their_definitions(authoring: Authoring) -> None:
    cases: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (
            "multiple_response",
            {
                "option-rows": "3",
                "option-0-text": "IPS",
                "option-0-correct": "1",
                "option-1-text": "NAT",
                "option-2-text": "SD-WAN",
                "option-2-correct": "1",
                "partial_credit": "per_option",
            },
            {
                "options": [
                    {"id": "a", "text": "IPS", "correct": True, "feedback": ""},
                    {"id": "b", "text": "NAT", "correct": False, "feedback": ""},
                    {"id": "c", "text": "SD-WAN", "correct": True, "feedback": ""},
                ],
                "partial_credit": "per_option",
                "shuffle": False,
            },
        ),
        (
            "true_false",
            {"statement_is_true": "false", "feedback_false": "Right."},
            {
                "statement_is_true": False,
                "feedback_true": "",
                "feedback_false": "Right.",
            },
        ),
        (
            "numeric",
            {"answer": "1,5", "tolerance": "0.05", "relative": "1", "unit": "ms"},
            {"answer": 1.5, "tolerance": 0.05, "relative": True, "unit": "ms"},
        ),
        (
            "short_text",
            {
                "accepted-rows": "2",
                "accepted-0-match": "exact",
                "accepted-0-value": "Zone based",
                "accepted-0-credit": "100",
                "accepted-1-match": "pattern",
                "accepted-1-value": "zone.*",
                "accepted-1-credit": "50",
            },
            {
                "accepted": [
                    {
                        "match": "exact",
                        "value": "Zone based",
                        "case_sensitive": False,
                        "credit": 1.0,
                    },
                    {"match": "pattern", "value": "zone.*", "case_sensitive": False, "credit": 0.5},
                ]
            },
        ),
        (
            "ordering",
            {
                "step-rows": "4",
                "step-0-text": "Back up",
                "step-1-text": "Upgrade",
                "step-3-text": "Check",
                "partial": "1",
            },
            {
                "steps": [
                    {"id": "a", "text": "Back up"},
                    {"id": "b", "text": "Upgrade"},
                    {"id": "c", "text": "Check"},
                ],
                "partial": True,
            },
        ),
        (
            "matching",
            {
                "pair-rows": "3",
                "pair-0-prompt": "22",
                "pair-0-response": "SSH",
                "pair-1-prompt": "443",
                "pair-1-response": "HTTPS",
                "pair-2-prompt": "8443",
                "pair-2-response": "HTTPS",
                "distractor-rows": "1",
                "distractor-0-text": "Telnet",
            },
            {
                "prompts": [
                    {"id": "p1", "text": "22"},
                    {"id": "p2", "text": "443"},
                    {"id": "p3", "text": "8443"},
                ],
                "responses": [
                    {"id": "r1", "text": "SSH"},
                    {"id": "r2", "text": "HTTPS"},
                    {"id": "r3", "text": "Telnet"},
                ],
                "key": {"p1": "r1", "p2": "r2", "p3": "r2"},
                "partial": False,
            },
        ),
    ]
    for item_type, fields, expected in cases:
        response = _post(authoring, item_type, {"prompt": f"A {item_type} item", **fields})
        assert (item_type, response.status_code) == (item_type, 302), _errors(response)
        assert _newest(authoring) == {
            "type": item_type,
            "prompt": f"A {item_type} item",
            "explanation": "",
            **expected,
        }


def test_numbers_and_percentages_that_are_not_are_told_beside_them(authoring: Authoring) -> None:
    before = written()
    numeric = _post(authoring, "numeric", {"prompt": "Latency?", "answer": "fast"})
    short = _post(
        authoring,
        "short_text",
        {
            "prompt": "Name it",
            "accepted-rows": "1",
            "accepted-0-value": "x",
            "accepted-0-credit": "150",
        },
    )
    assert (numeric.status_code, short.status_code) == (422, 422)
    assert _errors(numeric) == [("Correct answer", "Give a number.")]
    assert _errors(short) == [("Accepted answer 1", "Give a percentage above 0 and at most 100.")]
    assert written() == before


def test_a_pattern_that_does_not_compile_is_refused(authoring: Authoring) -> None:
    response = _post(
        authoring,
        "short_text",
        {
            "prompt": "Name it",
            "accepted-rows": "1",
            "accepted-0-match": "pattern",
            "accepted-0-value": "zone(",
        },
    )
    assert response.status_code == 422
    ((label, message),) = _errors(response)
    assert label == "Accepted answer 1"
    assert message.startswith("Not a valid pattern:")


def test_more_rows_are_added_without_judging_what_is_typed(authoring: Authoring) -> None:
    # given
    before = written()
    # when
    response = _post(
        authoring,
        "single_choice",
        {"prompt": "", "option-rows": "4", "option-0-text": "LAN", "more": "option"},
    )
    # then
    assert response.status_code == 200
    assert written() == before
    group = response.context["editor"].groups["option"]
    assert [r.values["text"] for r in group.rows] == ["LAN", "", "", "", "", ""]
    html = response.content.decode()
    assert "Please correct the following" not in html
    assert 'name="option-4-text" id="id_option-4-text" value="" autofocus' in html
    # the preview still says what is missing
    assert "Fix these to see the item as learners will" in html


def test_the_kind_of_item_is_chosen_first(authoring: Authoring) -> None:
    client = authoring.world.browser("author")
    chooser = client.get(f"/program/assessments/banks/{authoring.bank.pk}/items/new/")
    unknown = client.get(_new(authoring, "essay"))
    assert chooser.status_code == 200
    assert unknown.status_code == 422
    html = chooser.content.decode()
    assert html.count('class="type-cards"') == 1
    assert f'href="{_new(authoring, "scenario")}">Scenario</a>' in html


# --- the JSON editor ------------------------------------------------------------------------------


def test_an_author_writes_a_scenario_as_json_and_sees_its_map(authoring: Authoring) -> None:
    # given
    details = {k: v for k, v in SCENARIO.items() if k not in ("type", "prompt")}
    # when
    response = _post(
        authoring,
        "scenario",
        {"prompt": "The branch is offline.", "details": json.dumps(details)},
    )
    # then
    assert response.status_code == 302
    item = Item.objects.get(pk=int(response["Location"].split("/")[-2]))
    assert item.type == "scenario"
    page = authoring.world.browser("reviewer").get(response["Location"]).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "Best path: step call, option ask; step logs, option check." in page
    assert "The best path earns <strong>5 points</strong>" in page
    assert "ends the case: a path ending here earns at best -1 of 5 points (0 %)" in page
    assert 'leads to <a href="#map-step-logs">step logs</a>' in page
    assert page.count('class="map-edge map-edge--best"') == 2


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        (
            "{ not json",
            "This is not valid JSON: expecting property name enclosed in double quotes "
            "(line 1, column 3).",
        ),
        ("[1, 2]", "Write an object: { ... }."),
        (
            '{"type": "evidence"}',
            "These details say “evidence”; this editor writes scenario items. Remove “type”.",
        ),
        (
            json.dumps(
                {
                    "start": "call",
                    "steps": [
                        {
                            "id": "call",
                            "situation": "S",
                            "options": [{"id": "a", "text": "Go", "next": "nowhere", "score": 1}],
                        }
                    ],
                }
            ),
            "Option call.a leads to an unknown step.",
        ),
        (
            json.dumps(
                {
                    "start": "call",
                    "steps": [
                        {
                            "id": "call",
                            "situation": "",
                            "options": [{"id": "a", "text": "Go", "score": 1, "colour": "red"}],
                        }
                    ],
                }
            ),
            "Step call → situation: Fill this in.",
        ),
    ],
)
def test_json_details_that_are_not_right_are_told_in_words(
    authoring: Authoring, details: str, expected: str
) -> None:
    before = written()
    response = _post(
        authoring, "scenario", {"prompt": "The branch is offline.", "details": details}
    )
    assert response.status_code == 422
    assert expected in [message for _, message in _errors(response)]
    assert written() == before


def test_every_error_of_the_json_is_listed_with_where_it_is(authoring: Authoring) -> None:
    details = {
        "start": "call",
        "steps": [
            {
                "id": "call",
                "situation": "",
                "options": [{"id": "a b", "text": "Go", "score": 1, "colour": "red"}],
            }
        ],
    }
    response = _post(authoring, "scenario", {"prompt": "", "details": json.dumps(details)})
    assert _errors(response) == [
        ("Question", "Write the question the learner answers."),
        ("Details (JSON)", "Step call → situation: Fill this in."),
        (
            "Details (JSON)",
            "Step call → option 1 → id: "
            "Use only letters, digits, dots, dashes and underscores (no spaces).",
        ),
        (
            "Details (JSON)",
            "Step call → option 1 → colour: Not part of this type of item: remove it.",
        ),
    ]


def test_configuration_and_evidence_start_from_an_example_that_previews(
    authoring: Authoring,
) -> None:
    client = authoring.world.browser("author")
    for item_type, shown in (("configuration", "VLAN id"), ("evidence", "Shown working")):
        html = client.get(_new(authoring, item_type)).content.decode()
        assert "What the learner sees" in html
        assert shown in html
        assert "How to write the details" in html


# --- the live preview -----------------------------------------------------------------------------


def test_the_preview_shows_the_learners_view_and_the_key(authoring: Authoring) -> None:
    # when
    response = authoring.world.browser("author").post(
        "/program/assessments/items/preview/",
        {
            "type": "single_choice",
            "prompt": "Which zone?",
            "option-rows": "2",
            "option-0-text": "LAN",
            "option-1-text": "DMZ",
            "correct": "1",
        },
        headers={"HX-Request": "true"},
    )
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="prompt">Which zone?</p>' in html
    assert 'name="pv-choice" id="pv-option-2"> DMZ' in html
    assert '<span class="tag tag--correct">Correct</span> DMZ' in html
    assert '<span id="preview-status" hx-swap-oob="innerHTML">Preview updated' in html
    assert ItemVersion.objects.count() == 2  # the scene's: nothing is saved


def test_the_preview_of_something_wrong_lists_what_to_fix(authoring: Authoring) -> None:
    response = authoring.world.browser("author").post(
        "/program/assessments/items/preview/",
        {"type": "numeric", "prompt": "", "answer": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<li>Question: Write the question the learner answers.</li>" in html
    assert "<li>Correct answer: Give a number.</li>" in html
    assert "Not ready to preview: 2 things to fix." in html


def test_the_preview_of_a_scenario_shows_its_first_step_and_map(authoring: Authoring) -> None:
    details = {k: v for k, v in SCENARIO.items() if k not in ("type", "prompt")}
    html = (
        authoring.world.browser("author")
        .post(
            "/program/assessments/items/preview/",
            {"type": "scenario", "prompt": "Offline", "details": json.dumps(details)},
        )
        .content.decode()
    )
    assert '<p class="situation">The customer is upset. What do you do first?</p>' in html
    assert "They changed the WAN cable yesterday." in html  # in the map, for the author
    assert "Map of the case" in html


def test_reviewers_and_others_get_no_preview(authoring: Authoring) -> None:
    for name in ("reviewer", "learner"):
        response = authoring.world.browser(name).post(
            "/program/assessments/items/preview/", {"type": "true_false", "prompt": "X"}
        )
        assert response.status_code == 403


def test_the_preview_of_an_unknown_type_says_so(authoring: Authoring) -> None:
    response = authoring.world.browser("author").post(
        "/program/assessments/items/preview/", {"type": "essay"}
    )
    assert (response.status_code, "Choose a kind of item first." in response.content.decode()) == (
        200,
        True,
    )


# --- corrections, retirement, history -------------------------------------------------------------


def test_a_correction_keeps_the_option_ids_and_needs_a_note(authoring: Authoring) -> None:
    # given
    client = authoring.world.browser("author")
    url = f"/program/assessments/items/{authoring.single.pk}/revise/"
    form = client.get(url)
    editor = form.context["editor"]
    rows = editor.groups["option"].rows
    fields = {
        "type": "single_choice",
        "prompt": SINGLE["prompt"],
        "option-rows": str(len(rows)),
        **{f"option-{r.index}-{p}": v for r in rows for p, v in r.values.items() if p != "correct"},
        "correct": "2",  # 22 is right now
        "shuffle": "1",
        "points": "2",
        "difficulty": "1",
        "competency_ids": [str(authoring.install.pk)],
    }
    before = written()
    # when: without a note
    refused = client.post(url, fields)
    # then
    assert refused.status_code == 422
    assert refused.context["note_form"].errors == {"note": ["Say what this version corrects."]}
    assert written() == before
    # when: with it
    saved = client.post(url, {**fields, "note": "22 is the management port since 7.2."})
    # then
    assert saved.status_code == 302
    item = Item.objects.get(pk=authoring.single.pk)
    version = item.current_version
    assert version is not None
    assert (version.number, version.note) == (2, "22 is the management port since 7.2.")
    assert [(o["id"], o["correct"]) for o in version.definition["options"]] == [
        ("a", False),
        ("b", False),
        ("c", True),
    ]
    assert version.definition["options"][0]["feedback"] == "Right: HTTPS."
    assert [c.name for c in version.competencies.all()] == ["Firewall install"]


def test_the_correction_form_starts_from_the_current_version(authoring: Authoring) -> None:
    html = (
        authoring.world.browser("author")
        .get(f"/program/assessments/items/{authoring.single.pk}/revise/")
        .content.decode()
    )
    assert 'name="option-0-text" id="id_option-0-text" value="443"' in html
    assert 'id="id_correct_0" checked' in html
    assert (
        f'value="{authoring.install.pk}" id="id_competency_ids_{authoring.install.pk}" checked'
        in html
    )
    assert "Save as version 2" in html


def test_the_history_lists_versions_and_shows_an_old_one(authoring: Authoring) -> None:
    # given
    author = authoring.world.actor("author")
    corrected = {**SINGLE, "options": [{**o, "correct": o["id"] == "c"} for o in SINGLE["options"]]}
    item_revise(actor=author, item=authoring.single, definition=corrected, note="Key fixed")
    client = authoring.world.browser("reviewer")
    # when
    history = client.get(f"/program/assessments/items/{authoring.single.pk}/versions/")
    old = client.get(f"/program/assessments/items/{authoring.single.pk}/versions/1/")
    missing = client.get(f"/program/assessments/items/{authoring.single.pk}/versions/9/")
    # then
    assert [(v.number, v.note) for v in history.context["versions"]] == [
        (2, "Key fixed"),
        (1, ""),
    ]
    html = history.content.decode()
    assert 'Version 2</a> <span class="tag tag--published">Current</span>' in html
    assert '<td data-label="Written by">Author</td>' in html
    old_html = old.content.decode()
    assert "not the current one (version 2)" in old_html
    assert '<span class="tag tag--correct">Correct</span> 443' in old_html
    assert missing.status_code == 404


def test_an_author_retires_an_item_and_it_can_no_longer_be_corrected(
    authoring: Authoring,
) -> None:
    # given
    client = authoring.world.browser("author")
    # when
    retired = client.post(f"/program/assessments/items/{authoring.single.pk}/retire/", follow=True)
    # then
    assert "The item is retired" in retired.content.decode()
    assert Item.objects.get(pk=authoring.single.pk).retired_at is not None
    before = written()
    correction = client.get(f"/program/assessments/items/{authoring.single.pk}/revise/")
    assert correction.status_code == 409
    assert "A retired item cannot be corrected" in correction.content.decode()
    assert "Retire this item" not in correction.content.decode()
    assert written() == before


def test_a_refused_correction_of_an_item_retired_meanwhile_is_told_not_failed(
    authoring: Authoring,
) -> None:
    client = authoring.world.browser("author")
    url = f"/program/assessments/items/{authoring.scenario.pk}/revise/"
    details = {k: v for k, v in SCENARIO.items() if k not in ("type", "prompt")}
    item_retire(actor=authoring.world.actor("author"), item=authoring.scenario)
    response = client.post(
        url,
        {
            "type": "scenario",
            "prompt": "X",
            "details": json.dumps(details),
            "points": "1",
            "difficulty": "2",
            "note": "Why",
        },
    )
    assert response.status_code == 409
    assert re.search(r"A retired item cannot be corrected", response.content.decode())
