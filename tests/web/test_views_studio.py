"""The studio: who may use it, the items list (filters, review and attention views, paging),
creating an item from a starter, and moving an item through its lifecycle from its overview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cascade.catalog.format_models import LessonFormat
from cascade.catalog.item_models import CatalogItem, ItemState, ItemVariant
from cascade.catalog.items import item_approve, item_submit, item_update, variant_save
from cascade.catalog.revisions import item_revise, translation_save
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio
from tests.conftest import World, make_member
from tests.web.conftest import queries

# The catalog tests' authoring scene: an owner team, audiences, authors and reviewers.
studio = catalog_scenes.studio


def _titles(response: Any) -> list[str]:
    return [row.title for row in response.context["rows"]]


def _state(item: CatalogItem) -> str:
    return CatalogItem.objects.get(pk=item.pk).state


# --- who may use the studio ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["learner", "manager", "partner_admin"])
def test_partner_people_are_told_the_studio_does_not_exist(studio: Studio, name: str) -> None:
    # given
    item = studio.published("lesson", "Secret roadmap lesson")
    client = studio.world.browser(name)
    # when
    pages = [
        client.get("/studio/"),
        client.get(f"/studio/items/{item.pk}/"),
        client.get("/studio/audiences/"),
        client.get("/studio/preview/"),
    ]
    # then
    assert [p.status_code for p in pages] == [404, 404, 404, 404]
    assert all(b"Secret roadmap lesson" not in p.content for p in pages)


def test_vendor_staff_without_a_catalog_role_are_refused(studio: Studio) -> None:
    make_member(studio.world, "analyst", studio.world.tenant, None, ["analyst"], "other")
    response = studio.world.browser("analyst").get("/studio/")
    assert response.status_code == 403
    assert b"The studio is for content authors, reviewers and translators." in response.content


def test_anonymous_visitors_are_sent_to_sign_in(studio: Studio) -> None:
    response = studio.world.browser().get("/studio/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/sign-in/?next=/studio/",
    )


@pytest.mark.parametrize("name", ["author", "reviewer", "translator", "vendor_admin"])
def test_authors_reviewers_translators_and_program_admins_open_the_studio(
    studio: Studio, name: str
) -> None:
    assert studio.world.browser(name).get("/studio/").status_code == 200


def test_only_authors_see_the_new_item_button(studio: Studio) -> None:
    assert b"New item</a>" in studio.world.browser("author").get("/studio/").content
    assert b"New item</a>" not in studio.world.browser("translator").get("/studio/").content
    assert studio.world.browser("translator").get("/studio/items/new/").status_code == 403


# --- the items list -----------------------------------------------------------------------------


def test_the_list_shows_every_item_with_its_source_title_most_recent_first(
    studio: Studio,
) -> None:
    # given
    studio.published("lesson", "Firewall basics")
    studio.draft("course", "Security course")
    # when
    response = studio.world.browser("reviewer").get("/studio/")
    # then
    assert _titles(response) == ["Security course", "Firewall basics"]
    html = response.content.decode()
    assert '<span class="tag tag--published">Published</span>' in html
    assert '<span class="tag tag--draft">Draft</span>' in html


def test_filters_narrow_the_list(studio: Studio) -> None:
    # given
    studio.published("lesson", "Firewall basics")
    studio.draft("course", "Security course")
    studio.draft("card", "Firewall tip")
    other_team = studio.team.__class__.objects.create(tenant=studio.world.tenant, name="Channel")
    item_update(
        actor=studio.world.actor("author"),
        item=studio.draft("lesson", "Partner onboarding"),
        owner_team=other_team,
    )
    client = studio.world.browser("author")
    # then
    assert _titles(client.get("/studio/?state=draft&kind=course")) == ["Security course"]
    assert _titles(client.get("/studio/?q=firewall")) == ["Firewall tip", "Firewall basics"]
    assert _titles(client.get("/studio/?q=fire+tip")) == ["Firewall tip"]
    assert _titles(client.get(f"/studio/?owner_team={other_team.pk}")) == ["Partner onboarding"]
    assert _titles(client.get("/studio/?state=retired")) == []


def test_unknown_filter_values_are_shown_as_errors_not_failures(studio: Studio) -> None:
    response = studio.world.browser("author").get("/studio/?state=lost&kind=boat&owner_team=9")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"state", "kind", "owner_team"}


def test_waiting_for_my_review_lists_what_this_reviewer_may_still_approve(
    studio: Studio,
) -> None:
    # given
    world = studio.world
    author = world.actor("author")
    mine_to_review = item_submit(actor=author, item=studio.draft("lesson", "Waiting lesson"))
    approved_by_me = item_submit(
        actor=author, item=studio.draft("lesson", "Broad lesson", audience=studio.everyone)
    )
    item_approve(actor=world.actor("reviewer"), item=approved_by_me)
    studio.draft("lesson", "Still a draft")
    make_member(world, "author_reviewer", world.tenant, None, ["content_author", "reviewer"])
    own = item_submit(
        actor=world.actor("author_reviewer"), item=studio.draft("lesson", "Written by me")
    )
    # when
    reviewer = world.browser("reviewer").get("/studio/?view=review")
    author_reviewer = world.browser("author_reviewer").get("/studio/?view=review")
    # then
    assert _titles(reviewer) == ["Written by me", "Waiting lesson"]
    assert _titles(author_reviewer) == ["Broad lesson", "Waiting lesson"]
    assert mine_to_review.pk != own.pk


def test_waiting_for_my_review_also_lists_translations_in_review(studio: Studio) -> None:
    # given
    world = studio.world
    world.tenant.supported_locales = ["en", "fr"]
    world.tenant.save()
    item = studio.published("lesson", "Firewall basics")
    from cascade.catalog.revisions import translation_submit

    translation_save(
        actor=world.actor("translator"), item=item, locale="fr", title="Les bases du pare-feu"
    )
    translation_submit(actor=world.actor("translator"), item=item, locale="fr")
    # when
    response = world.browser("reviewer").get("/studio/?view=review")
    # then
    tasks = response.context["translation_tasks"]
    assert [(t.item_title, t.locale, t.translated_by) for t in tasks] == [
        ("Firewall basics", "fr", "Translator")
    ]
    assert f'href="/studio/items/{item.pk}/translations/fr/"' in response.content.decode()


def test_needs_attention_lists_review_dates_stale_translations_and_containers_to_republish(
    studio: Studio,
) -> None:
    # given: a lesson whose review date passed, one due soon, one due much later
    world = studio.world
    author = world.actor("author")
    today = timezone.localdate()
    overdue = studio.draft("lesson", "Overdue lesson")
    item_update(actor=author, item=overdue, review_by=today - timedelta(days=1))
    soon = studio.draft("lesson", "Soon lesson")
    item_update(actor=author, item=soon, review_by=today + timedelta(days=5))
    later = studio.draft("lesson", "Later lesson")
    item_update(actor=author, item=later, review_by=today + timedelta(days=90))
    # a draft whose French translation was made from an older text
    stale = studio.draft("lesson", "Stale lesson")
    translation_save(actor=world.actor("translator"), item=stale, locale="fr", title="Périmé")
    variant_save(actor=author, item=stale, locale="en", title="Stale lesson, rewritten")
    # a module published with a lesson that then changed in substance
    lesson = studio.published("lesson", "Changed lesson")
    module = studio.container("module", "Module using it", [lesson])
    item_revise(actor=author, item=lesson, change="major", note="New product generation.")
    studio.publish(lesson)
    # when
    response = world.browser("author").get("/studio/?view=attention")
    # then
    rows = {row.title: row for row in response.context["rows"]}
    assert sorted(rows) == [
        "Module using it",
        "Overdue lesson",
        "Soon lesson",
        "Stale lesson, rewritten",
    ]
    assert rows["Overdue lesson"].review_overdue is True
    assert rows["Soon lesson"].review_soon is True
    assert rows["Stale lesson, rewritten"].stale_translations == ["fr"]
    assert rows["Module using it"].republish_for == [lesson.pk]
    html = response.content.decode()
    assert "Translation to update: fr" in html
    assert "Re-publish: 1 step changed in substance" in html
    assert module.pk in {row.item.pk for row in response.context["rows"]}


def test_htmx_requests_get_only_the_results(studio: Studio) -> None:
    studio.draft("lesson", "Firewall basics")
    response = studio.world.browser("author").get(
        "/studio/?q=firewall", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert '<p class="results-status" id="results-status" role="status">1 item shown.' in html


def test_the_next_page_comes_with_a_keyset_cursor(studio: Studio) -> None:
    # given
    for number in range(27):
        studio.draft("card", f"Tip {number:02d}")
    client = studio.world.browser("author")
    first = client.get("/studio/")
    cursor = first.context["next_cursor"]
    # when
    more = client.get(f"/studio/?cursor={cursor}", headers={"HX-Request": "true"})
    # then
    assert len(_titles(first)) == 25
    assert _titles(more) == ["Tip 01", "Tip 00"]
    assert "More items loaded." in more.content.decode()
    assert more.context["next_cursor"] is None


def test_a_broken_cursor_is_a_readable_error(studio: Studio) -> None:
    response = studio.world.browser("author").get("/studio/?cursor=%%%")
    assert response.status_code in (400, 422)
    assert b"The cursor is not valid." in response.content


def test_list_query_count_does_not_grow_with_rows(studio: Studio) -> None:
    # given one item in each list
    world = studio.world
    author = world.actor("author")
    client = world.browser("vendor_admin")

    def more(number: int) -> None:
        item = studio.draft("lesson", f"Lesson {number}")
        translation_save(actor=world.actor("translator"), item=item, locale="fr", title="Leçon")
        item_update(actor=author, item=item, review_by=timezone.localdate())
        item_submit(actor=author, item=studio.draft("card", f"Card {number}"))

    more(0)
    client.get("/studio/?view=attention")
    before = {view: queries(lambda v=view: client.get(f"/studio/?view={v}")) for view in VIEWS}
    # when: many more, with translations, review dates and a container
    for number in range(1, 12):
        more(number)
    studio.container("module", "A module", [studio.published("lesson", "Reused")])
    # then
    after = {view: queries(lambda v=view: client.get(f"/studio/?view={v}")) for view in VIEWS}
    assert after == before


VIEWS = ("all", "review", "attention")


# --- creating from a starter --------------------------------------------------------------------


def test_an_author_creates_a_lesson_from_a_starter(studio: Studio) -> None:
    # when
    response = studio.world.browser("author").post(
        "/studio/items/new/",
        {
            "starter": "article-lesson",
            "title": "Selling to hospitals",
            "owner_team": str(studio.team.pk),
            "audience": str(studio.gold.pk),
        },
        follow=True,
    )
    # then
    item = CatalogItem.objects.get()
    assert (item.kind, item.duration_minutes, item.audience_id, item.owner_team_id) == (
        "lesson",
        15,
        studio.gold.pk,
        studio.team.pk,
    )
    source = ItemVariant.objects.get(item=item)
    assert source.title == "Selling to hospitals"
    assert source.body.startswith("## Why it matters")
    assert list(LessonFormat.objects.filter(item=item).values_list("kind", flat=True)) == [
        "article"
    ]
    assert response.redirect_chain == [(f"/studio/items/{item.pk}/text/", 302)]
    assert "Your article lesson is created. Next: fill in the outline on the Text tab." in (
        response.content.decode()
    )


def test_a_video_starter_says_the_video_is_still_to_add(studio: Studio) -> None:
    response = studio.world.browser("author").post(
        "/studio/items/new/",
        {"starter": "video-lesson", "title": "Demo", "owner_team": str(studio.team.pk)},
        follow=True,
    )
    assert (
        "Next: fill in the outline on the Text tab, then add the video on the Formats tab."
        in response.content.decode()
    )
    assert CatalogItem.objects.get().audience_id is None


def test_creating_without_a_title_or_starter_shows_what_is_missing(studio: Studio) -> None:
    # when
    response = studio.world.browser("author").post(
        "/studio/items/new/", {"starter": "", "title": "  ", "owner_team": str(studio.team.pk)}
    )
    # then
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"starter", "title"}
    assert "Choose what you are making." in response.content.decode()
    assert CatalogItem.objects.count() == 0


def test_the_create_page_offers_every_starter_and_preselects_one(studio: Studio) -> None:
    response = studio.world.browser("author").get("/studio/items/new/?starter=learning-path")
    html = response.content.decode()
    for name in (
        "Product course",
        "Video lesson",
        "Article lesson",
        "Document or download lesson",
        "Microlearning card",
        "Learning path",
    ):
        assert f"<span>{name}</span>" in html
    assert 'value="learning-path" id="starter-learning-path"' in html
    assert (
        'id="starter-learning-path" aria-describedby="starter-learning-path-details" checked'
        in (html)
    )


# --- the overview and the lifecycle -------------------------------------------------------------


def test_the_draft_overview_shows_the_checklist_and_the_submit_button(studio: Studio) -> None:
    item = studio.draft("lesson", "Firewall basics", audience=None)
    response = studio.world.browser("author").get(f"/studio/items/{item.pk}/")
    checks = {check.label: check.done for check in response.context["checklist"]}
    assert checks == {
        "A title": True,
        "A summary learners see in the catalog": False,
        "Who it is for (an audience)": False,
        "A duration": False,
        "At least one format": False,
    }
    assert b">Submit for review</button>" in response.content


def test_submitting_without_an_audience_says_why_and_changes_nothing(studio: Studio) -> None:
    # given
    item = studio.draft("lesson", "Firewall basics", audience=None)
    # when
    response = studio.world.browser("author").post(f"/studio/items/{item.pk}/submit/")
    # then
    assert response.status_code == 422
    assert "Choose who this item is for before submitting it." in response.content.decode()
    assert _state(item) == ItemState.DRAFT


def test_submit_then_approve_then_publish(studio: Studio) -> None:
    # given
    world = studio.world
    item = studio.draft("lesson", "Firewall basics")
    # when
    submitted = world.browser("author").post(f"/studio/items/{item.pk}/submit/", follow=True)
    approved = world.browser("reviewer").post(f"/studio/items/{item.pk}/approve/", follow=True)
    published = world.browser("author").post(f"/studio/items/{item.pk}/publish/", follow=True)
    # then
    assert "Submitted for review." in submitted.content.decode()
    assert "Approved. It can be published now." in approved.content.decode()
    assert "Published. Partner people in its audience see it now." in published.content.decode()
    assert _state(item) == ItemState.PUBLISHED


def test_content_for_every_partner_shows_what_approval_is_still_needed(studio: Studio) -> None:
    # given
    world = studio.world
    item = item_submit(
        actor=world.actor("author"), item=studio.draft("lesson", "All", audience=studio.everyone)
    )
    # when
    first = world.browser("reviewer").post(f"/studio/items/{item.pk}/approve/", follow=True)
    # then
    html = first.content.decode()
    assert "Your approval is recorded. It still needs another approval." in html
    assert "<strong>Still needed:</strong> an approval from a member of the owning team." in html
    assert "You have approved this round already." in html
    assert _state(item) == ItemState.IN_REVIEW
    # when the owning team approves
    world.browser("product_reviewer").post(f"/studio/items/{item.pk}/approve/")
    # then
    assert _state(item) == ItemState.APPROVED


def test_nobody_is_offered_to_approve_their_own_work_and_the_refusal_is_readable(
    studio: Studio,
) -> None:
    # given
    world = studio.world
    make_member(world, "author_reviewer", world.tenant, None, ["content_author", "reviewer"])
    item = item_submit(actor=world.actor("author_reviewer"), item=studio.draft("lesson", "Mine"))
    client = world.browser("author_reviewer")
    # when
    page = client.get(f"/studio/items/{item.pk}/")
    refused = client.post(f"/studio/items/{item.pk}/approve/")
    # then
    assert b">Approve</button>" not in page.content
    assert b"You wrote or submitted this item, so someone else approves it." in page.content
    assert refused.status_code == 403
    assert b"You cannot approve your own work." in refused.content
    assert _state(item) == ItemState.IN_REVIEW


def test_a_translator_cannot_publish_and_nothing_changes(studio: Studio) -> None:
    item = studio.draft("lesson", "Firewall basics")
    response = studio.world.browser("translator").post(f"/studio/items/{item.pk}/submit/")
    assert response.status_code == 403
    assert _state(item) == ItemState.DRAFT


def test_requesting_changes_needs_a_note_and_then_shows_it_to_the_author(studio: Studio) -> None:
    # given
    world = studio.world
    item = item_submit(actor=world.actor("author"), item=studio.draft("lesson", "Firewall"))
    reviewer = world.browser("reviewer")
    # when
    empty = reviewer.post(f"/studio/items/{item.pk}/request-changes/", {"note": " "})
    sent = reviewer.post(
        f"/studio/items/{item.pk}/request-changes/", {"note": "Add the licensing table."}
    )
    # then
    assert empty.status_code == 422
    assert "Say what should change." in empty.content.decode()
    assert sent.status_code == 302
    assert _state(item) == ItemState.DRAFT
    overview = world.browser("author").get(f"/studio/items/{item.pk}/").content.decode()
    assert "A reviewer asked for changes" in overview
    assert "Add the licensing table." in overview


def test_starting_a_revision_asks_for_the_kind_and_a_note(studio: Studio) -> None:
    # given
    world = studio.world
    item = studio.published("lesson", "Firewall basics")
    client = world.browser("author")
    # when
    missing = client.post(f"/studio/items/{item.pk}/revise/", {"change": "major", "note": ""})
    started = client.post(
        f"/studio/items/{item.pk}/revise/", {"change": "major", "note": "New UI screenshots."}
    )
    # then
    assert missing.status_code == 422
    assert "Say what changes." in missing.content.decode()
    assert started.status_code == 302
    revised = CatalogItem.objects.get(pk=item.pk)
    assert (revised.state, revised.pending_change, revised.change_note) == (
        "draft",
        "major",
        "New UI screenshots.",
    )
    overview = client.get(f"/studio/items/{item.pk}/").content.decode()
    assert "This is a <strong>major</strong> revision." in overview
    assert "Learners see revision 1" in overview


def test_retiring_a_published_item(studio: Studio) -> None:
    item = studio.published("lesson", "Old lesson")
    response = studio.world.browser("author").post(f"/studio/items/{item.pk}/retire/", follow=True)
    assert "Retired. Learners no longer see it." in response.content.decode()
    assert _state(item) == ItemState.RETIRED


def test_a_move_the_state_does_not_allow_is_a_conflict_shown_on_the_page(studio: Studio) -> None:
    item = studio.draft("lesson", "Draft")
    response = studio.world.browser("author").post(f"/studio/items/{item.pk}/publish/")
    assert response.status_code == 409
    assert "Only approved items can be published." in response.content.decode()


def test_lifecycle_actions_take_only_post(studio: Studio) -> None:
    item = studio.draft("lesson", "Draft")
    assert studio.world.browser("author").get(f"/studio/items/{item.pk}/submit/").status_code == (
        405
    )


def test_the_overview_lists_the_containers_using_an_item(studio: Studio) -> None:
    lesson = studio.published("lesson", "Reusable lesson")
    studio.container("module", "Module A", [lesson])
    studio.container("module", "Module B", [lesson])
    response = studio.world.browser("author").get(f"/studio/items/{lesson.pk}/")
    assert [title for _, title, _ in response.context["parents"]] == ["Module A", "Module B"]


def test_items_of_another_tenant_are_not_found(studio: Studio, world: World) -> None:
    item = studio.draft("lesson", "Ours")
    response = world.browser("b_admin").get(f"/studio/items/{item.pk}/")
    assert response.status_code == 404
