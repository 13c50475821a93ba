"""Browser journey through assessment authoring: an author builds the competency framework and a
bank, writes a single-choice item while its live preview follows, writes a scenario and reads its
map, then makes a fixed exam of both and publishes it. Every page visited is checked with axe
and photographed at desktop and phone widths."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cascade.assessments.models import Exam, Item
from cascade.core.scoping import tenant_scope
from tests.browser.conftest import check_page, sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCENARIO_DETAILS = {
    "start": "call",
    "steps": [
        {
            "id": "call",
            "situation": "The customer is upset: the branch office is offline. What first?",
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
                {"id": "check", "text": "Check the interface counters", "next": "", "score": 3},
                {"id": "escalate", "text": "Escalate to the vendor", "next": "", "score": 1},
            ],
        },
    ],
}


def test_an_author_writes_items_with_a_live_preview_and_publishes_an_exam(
    live_world: World, page: Any
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["content_author"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question banks")
    check_page(page, "assessments-banks-empty")

    # when: the framework gets a domain and a competency
    section = page.get_by_role("navigation", name="Assessments")
    section.get_by_role("link", name="Competency framework").click()
    page.get_by_label("Domain name").fill("Deployment")
    page.get_by_role("button", name="Add the domain").click()
    expect(page.get_by_text("The domain “Deployment” is added.")).to_be_visible()
    page.get_by_label("Domain", exact=True).select_option(label="Deployment")
    page.get_by_label("Competency name").fill("Firewall install")
    page.get_by_role("button", name="Add the competency").click()
    # then
    expect(page.get_by_text("The competency “Firewall install” is added.")).to_be_visible()
    check_page(page, "assessments-framework")

    # when: a bank is created
    section.get_by_role("link", name="Question banks").click()
    page.get_by_role("link", name="New bank").click()
    check_page(page, "assessments-bank-new")
    page.get_by_label("Name").fill("Firewall basics")
    page.get_by_role("button", name="Create the bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Firewall basics")
    expect(page.get_by_text("This bank has no item yet.")).to_be_visible()

    # and a single-choice item is written while the preview follows
    page.get_by_role("link", name="New item").click()
    check_page(page, "assessments-item-kinds")
    page.get_by_role("link", name="Single choice").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Start writing")
    page.get_by_label("Question").fill("Which port does the management plane listen on?")
    page.get_by_label("Text (Option 1)").fill("443")
    page.get_by_label("Feedback (optional) (Option 1)").fill("Right: HTTPS.")
    page.get_by_label("Text (Option 2)").fill("80")
    # the preview says what is still missing, in words
    expect(preview).to_contain_text("Options: Mark exactly one option correct.")
    page.get_by_label("Correct (option 1)").check()
    page.get_by_label("Text (Option 3)").fill("22")
    # then: the learner's view and the key
    expect(preview.locator(".learner-view")).to_contain_text("22")
    expect(preview.get_by_role("radio", name="443")).to_be_visible()
    expect(preview.locator(".key")).to_contain_text("Correct 443")
    expect(page.locator("#preview-status")).to_have_text(re.compile("Preview updated"))
    page.get_by_label("Firewall install").check()
    page.get_by_label("Difficulty").select_option(label="Easy")
    check_page(page, "assessments-item-editor")
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("The single choice item is saved as version 1.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which port does the management plane listen on?"
    )
    check_page(page, "assessments-item")

    # when: a scenario is written as JSON
    page.get_by_role("link", name="Firewall basics").click()
    page.get_by_role("link", name="New item").click()
    page.get_by_role("link", name="Scenario").click()
    expect(preview.get_by_role("heading", name="Map of the case")).to_be_visible()
    page.get_by_label("Question").fill("A customer calls about a branch office.")
    page.get_by_label("Details (JSON)").fill(json.dumps(SCENARIO_DETAILS, indent=2))
    # then: the preview shows the first step and the map with the best path
    expect(preview.locator(".situation")).to_have_text(
        "The customer is upset: the branch office is offline. What first?"
    )
    expect(preview.locator(".map-edge--best")).to_have_count(2)
    expect(preview).to_contain_text("The best path earns 5 points")
    check_page(page, "assessments-scenario-editor")
    # a broken reference is told in words, and the map comes back once fixed
    broken = json.dumps(SCENARIO_DETAILS).replace('"next": "logs"', '"next": "log"')
    page.get_by_label("Details (JSON)").fill(broken)
    expect(preview).to_contain_text("Option call.ask leads to an unknown step.")
    page.get_by_label("Details (JSON)").fill(json.dumps(SCENARIO_DETAILS, indent=2))
    expect(preview.locator(".map-edge--best")).to_have_count(2)
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("The scenario item is saved as version 1.")).to_be_visible()
    expect(page.get_by_role("img", name="Map of the case")).to_be_visible()
    expect(page.locator("#map-step-logs")).to_contain_text("On the best path")
    check_page(page, "assessments-scenario-item")

    # when: a fixed exam is made of both items and published
    section.get_by_role("link", name="Exams").click()
    page.get_by_role("link", name="New exam").click()
    page.get_by_label("Name").fill("Firewall associate")
    page.get_by_label("A fixed form: the same items for everyone").check()
    page.get_by_label("Time limit in minutes (optional)").fill("30")
    check_page(page, "assessments-exam-new")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("“Firewall associate” is created as a draft.")).to_be_visible()
    candidates = page.locator("#candidates")
    candidates.get_by_label(re.compile("management plane")).check()
    candidates.get_by_label(re.compile("branch office")).check()
    candidates.get_by_role("button", name="Add the chosen items").click()
    expect(page.get_by_text("2 items added at the end.")).to_be_visible()
    page.get_by_role("button", name="Down (item 1)").click()
    expect(page.get_by_text("Item moved down.")).to_be_visible()
    check_page(page, "assessments-exam-form")
    page.get_by_role("link", name="Back to the exam").click()
    page.get_by_role("button", name="Publish the exam").click()
    # then
    expect(page.get_by_text("“Firewall associate” is published.")).to_be_visible()
    expect(page.get_by_text("Published exams do not change")).to_be_visible()
    check_page(page, "assessments-exam-published")
    with tenant_scope(live_world.tenant):
        exam = Exam.objects.get(name="Firewall associate")
        scenario = Item.objects.get(type="scenario")
        assert exam.state == "published"
        # added newest first (the scenario), then the first moved down
        assert list(exam.form_items.values_list("item_id", flat=True)) == [
            Item.objects.get(type="single_choice").pk,
            scenario.pk,
        ]
