"""Exams from the pages: creating a draft with its rules, choosing a fixed form's items and their
order, setting a blueprint's draws, publishing (and being told in words why not yet), and a
published exam that no longer changes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cascade.assessments.exam_services import exam_form_set
from cascade.assessments.models import Exam, ExamDraw, ExamItem
from cascade.assessments.services import item_retire
from tests.web import test_views_assessment_authoring as scene
from tests.web.test_views_assessment_authoring import (
    SINGLE,
    Authoring,
    written,
)

# The pages' scene: an author, a reviewer, a framework, a bank with two items, two draft exams.
authoring = scene.authoring

RULES = {
    "passing_percent": "75.5",
    "cooldown_hours": "24",
    "feedback_policy": "after_passing",
    "shuffle_items": "on",
}


def _create(a: Authoring, **fields: Any) -> Any:
    return a.world.browser("author").post(
        "/program/assessments/exams/new/",
        {"name": "Firewall expert", "mode": "fixed", **RULES, **fields},
    )


def test_an_author_creates_an_exam_with_its_rules(authoring: Authoring) -> None:
    # when
    response = _create(
        authoring,
        time_limit_minutes="45",
        attempts_limit="3",
        opens_at="2030-01-10T09:00",
        closes_at="2030-02-10T18:00",
        max_exposure="100",
        **{f"competency_{authoring.install.pk}": "80"},
    )
    # then
    exam = Exam.objects.get(name="Firewall expert")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/program/assessments/exams/{exam.pk}/form/",
    )
    assert (
        exam.state,
        exam.time_limit_minutes,
        exam.attempts_limit,
        exam.cooldown_hours,
        exam.passing_share,
        exam.competency_passing,
        exam.feedback_policy,
        exam.shuffle_items,
        exam.shuffle_options,
        exam.max_exposure,
    ) == (
        "draft",
        45,
        3,
        24,
        Decimal("0.755"),
        {str(authoring.install.pk): "0.800"},
        "after_passing",
        True,
        False,
        100,
    )
    opens = timezone.make_aware(datetime(2030, 1, 10, 9, 0))
    assert (exam.opens_at, exam.closes_at - exam.opens_at) == (
        opens,
        timezone.make_aware(datetime(2030, 2, 10, 18, 0)) - opens,
    )
    page = authoring.world.browser("reviewer").get(f"/program/assessments/exams/{exam.pk}/")
    html = page.content.decode()
    assert "<dd>75.5 % of the points</dd>" in html
    assert "<li>Firewall install: 80 %</li>" in html
    assert "3, 24 hours apart" in html


def test_bad_rules_are_shown_beside_them_and_nothing_is_written(authoring: Authoring) -> None:
    # given
    before = written()
    # when
    response = _create(
        authoring,
        name="Firewall associate",
        opens_at="2030-02-10T09:00",
        closes_at="2030-01-10T09:00",
        passing_percent="120",
        time_limit_minutes="0",
    )
    taken = _create(authoring, name="Firewall associate")
    # then
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {
        "closes_at",
        "passing_percent",
        "time_limit_minutes",
    }
    assert response.context["form"].errors["closes_at"] == ["An exam closes after it opens."]
    assert taken.status_code == 409
    assert taken.context["form"].errors == {"name": ["An exam with that name exists."]}
    assert written() == before


def test_an_author_builds_a_fixed_form_step_by_step_and_publishes_it(
    authoring: Authoring,
) -> None:
    # given
    client = authoring.world.browser("author")
    url = f"/program/assessments/exams/{authoring.fixed.pk}/form/"
    single, scenario = authoring.single.pk, authoring.scenario.pk
    third = authoring.item(definition={**SINGLE, "prompt": "Third question"}).pk

    def form() -> list[int]:
        return list(
            ExamItem.objects.filter(exam=authoring.fixed)
            .order_by("position")
            .values_list("item_id", flat=True)
        )

    # when: three items are added, the last moved up, the first removed
    added = client.post(url, {"op": "add", "add": [str(single), str(scenario), str(third)]})
    assert added.status_code == 302
    assert form() == [single, scenario, third]
    client.post(url, {"op": "up", "item": str(third)})
    assert form() == [single, third, scenario]
    page = client.post(url, {"op": "remove", "item": str(single)}, follow=True)
    # then
    assert form() == [third, scenario]
    html = page.content.decode()
    assert "Item 1 removed." in html
    assert [r.item.pk for r in page.context["candidates"]] == [single]
    # when: published
    published = client.post(
        f"/program/assessments/exams/{authoring.fixed.pk}/publish/", follow=True
    )
    # then
    assert "“Firewall associate” is published." in published.content.decode()
    exam = Exam.objects.get(pk=authoring.fixed.pk)
    assert exam.state == "published"
    # and it no longer changes: the editor sends back to the exam's page
    again = client.get(url)
    assert (again.status_code, again["Location"]) == (
        302,
        f"/program/assessments/exams/{exam.pk}/",
    )
    read_only = client.get(f"/program/assessments/exams/{exam.pk}/").content.decode()
    assert "Publish the exam" not in read_only
    assert "Choose the items</a>" not in read_only
    assert "Published exams do not change" in read_only


def test_the_items_offered_can_be_found_by_bank_type_competency_and_words(
    authoring: Authoring,
) -> None:
    client = authoring.world.browser("author")
    url = f"/program/assessments/exams/{authoring.fixed.pk}/form/"

    def offered(**query: str) -> list[int]:
        return [r.item.pk for r in client.get(url, query).context["candidates"]]

    assert offered(type="scenario") == [authoring.scenario.pk]
    assert offered(competency=str(authoring.install.pk)) == [authoring.single.pk]
    assert offered(q="management plane") == [authoring.single.pk]
    assert offered(bank=str(authoring.bank.pk)) == [authoring.scenario.pk, authoring.single.pk]
    htmx = client.get(
        url, {"q": "branch"}, headers={"HX-Target": "candidates", "HX-Request": "true"}
    )
    assert htmx.templates[0].name == "assessments/authoring/_form_candidates.html"


def test_adding_nothing_or_a_retired_item_is_told_and_changes_nothing(
    authoring: Authoring,
) -> None:
    # given
    client = authoring.world.browser("author")
    url = f"/program/assessments/exams/{authoring.fixed.pk}/form/"
    item_retire(actor=authoring.world.actor("author"), item=authoring.single)
    before = written()
    # when
    nothing = client.post(url, {"op": "add"})
    retired = client.post(url, {"op": "add", "add": [str(authoring.single.pk)]})
    # then
    assert (nothing.status_code, retired.status_code) == (422, 422)
    assert "Choose items to add." in nothing.content.decode()
    assert "Choose items that exist and are not retired." in retired.content.decode()
    assert written() == before


def test_publishing_an_empty_or_retired_form_says_why_in_words(authoring: Authoring) -> None:
    client = authoring.world.browser("author")
    publish = f"/program/assessments/exams/{authoring.fixed.pk}/publish/"
    empty = client.post(publish)
    assert empty.status_code == 422
    html = empty.content.decode()
    assert "It cannot be published yet" in html
    assert "Add items first." in html
    exam_form_set(
        actor=authoring.world.actor("author"), exam=authoring.fixed, item_ids=[authoring.single.pk]
    )
    item_retire(actor=authoring.world.actor("author"), item=authoring.single)
    retired = client.post(publish)
    assert retired.status_code == 422
    assert "Replace the retired items in the form, then publish." in retired.content.decode()
    assert Exam.objects.get(pk=authoring.fixed.pk).state == "draft"


def test_an_author_sets_a_blueprint_and_sees_how_the_live_items_fill_it(
    authoring: Authoring,
) -> None:
    # given
    client = authoring.world.browser("author")
    url = f"/program/assessments/exams/{authoring.drawn.pk}/blueprint/"
    # when: two draws, one of them more than the bank holds at that difficulty
    saved = client.post(
        url,
        {
            "draw-rows": "3",
            "draw-0-count": "1",
            "draw-0-bank": str(authoring.bank.pk),
            "draw-0-difficulty": "3",
            "draw-1-count": "2",
            "draw-1-competency": str(authoring.install.pk),
            "draw-2-count": "",
        },
        follow=True,
    )
    # then
    draws = list(
        ExamDraw.objects.filter(exam=authoring.drawn)
        .order_by("position")
        .values_list("count", "bank_id", "competency_id", "difficulty")
    )
    assert draws == [(1, authoring.bank.pk, None, 3), (2, None, authoring.install.pk, None)]
    html = saved.content.decode()
    assert "The blueprint is saved: 3 items drawn per attempt." in html
    assert "the live items can fill 2 of them at once" in html
    # when: published while short
    refused = client.post(f"/program/assessments/exams/{authoring.drawn.pk}/publish/")
    # then: the reason, in words, and nothing changes
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "The blueprint takes 3 items; the live items fill 2 of them." in text
    assert "Add live items that match the draws, or draw fewer, then publish." in text
    assert Exam.objects.get(pk=authoring.drawn.pk).state == "draft"
    # when: a matching item is written
    authoring.item(
        definition={**SINGLE, "prompt": "Another"}, competency_ids=[authoring.install.pk]
    )
    published = client.post(f"/program/assessments/exams/{authoring.drawn.pk}/publish/")
    assert published.status_code == 302
    assert Exam.objects.get(pk=authoring.drawn.pk).state == "published"


def test_draws_that_cannot_be_read_are_told_on_their_rows(authoring: Authoring) -> None:
    # given
    client = authoring.world.browser("author")
    url = f"/program/assessments/exams/{authoring.drawn.pk}/blueprint/"
    before = list(ExamDraw.objects.filter(exam=authoring.drawn).values_list("count", "bank_id"))
    # when
    response = client.post(
        url,
        {
            "draw-rows": "2",
            "draw-0-count": "many",
            "draw-1-count": "1",
            "draw-1-bank": "999999",
        },
    )
    unknown_bank = client.post(
        url, {"draw-rows": "1", "draw-0-count": "1", "draw-0-bank": "999999"}
    )
    # then
    assert response.status_code == 422
    assert [r.errors for r in response.context["rows"]] == [
        ["Give how many items to draw: 1 or more."],
        [],
    ]
    assert unknown_bank.status_code == 422
    assert [r.errors for r in unknown_bank.context["rows"]] == [["Unknown bank."]]
    assert '<a href="#draw-0-count">Draw 1</a>: Unknown bank.' in unknown_bank.content.decode()
    assert (
        list(ExamDraw.objects.filter(exam=authoring.drawn).values_list("count", "bank_id"))
        == before
    )


def test_more_draws_are_added_without_saving(authoring: Authoring) -> None:
    response = authoring.world.browser("author").post(
        f"/program/assessments/exams/{authoring.drawn.pk}/blueprint/",
        {"draw-rows": "1", "draw-0-count": "4", "more": "draw"},
    )
    assert response.status_code == 200
    assert [r.count for r in response.context["rows"]] == ["4", "", ""]
    assert ExamDraw.objects.get(exam=authoring.drawn).count == 1


def test_each_editor_sends_an_exam_of_the_other_mode_to_its_own(authoring: Authoring) -> None:
    client = authoring.world.browser("author")
    to_blueprint = client.get(f"/program/assessments/exams/{authoring.drawn.pk}/form/")
    to_form = client.get(f"/program/assessments/exams/{authoring.fixed.pk}/blueprint/")
    assert to_blueprint["Location"] == f"/program/assessments/exams/{authoring.drawn.pk}/blueprint/"
    assert to_form["Location"] == f"/program/assessments/exams/{authoring.fixed.pk}/form/"


def test_the_exams_list_shows_how_each_is_made(authoring: Authoring) -> None:
    exam_form_set(
        actor=authoring.world.actor("author"),
        exam=authoring.fixed,
        item_ids=[authoring.single.pk, authoring.scenario.pk],
    )
    html = authoring.world.browser("reviewer").get("/program/assessments/exams/").content.decode()
    assert '<td data-label="Items">2 in a fixed form</td>' in html
    assert '<td data-label="Items">1 drawn per attempt</td>' in html
    assert '<td data-label="Passing score" class="number">70 %</td>' in html
