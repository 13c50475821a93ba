"""Revisions: learners read what was published while authors prepare the next revision; minor
changes flow into the courses that use a lesson, major ones wait for the course's re-publication;
translations have their own review; who saw which revision is kept."""

from __future__ import annotations

import pytest

from cascade.catalog.browse import item_for_viewer
from cascade.catalog.item_models import ItemState, VariantStatus
from cascade.catalog.items import item_retire, item_update, variant_save
from cascade.catalog.revision_models import ItemRevision, RevisionView
from cascade.catalog.revisions import (
    containers_needing_republication,
    item_revise,
    revision_view_record,
    translation_review,
    translation_save,
    translation_submit,
    translations_needing_update,
)
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.catalog.conftest import Studio


def _seen_by(studio: Studio, person: str, item_id: int, locale: str | None = None) -> str:
    world = studio.world
    view = item_for_viewer(
        tenant=world.tenant, viewer=viewer_for(world.actor(person)), item_id=item_id, locale=locale
    )
    return view.title


def _revise(studio: Studio, item, change: str, title: str):  # type: ignore[no-untyped-def]
    author = studio.world.actor("author")
    item = item_revise(actor=author, item=item, change=change, note=f"{change}: {title}")
    variant_save(actor=author, item=item, locale="en", title=title)
    return studio.publish(item)


def test_first_publication_is_revision_one_with_the_text_frozen(studio: Studio) -> None:
    # when
    lesson = studio.published(title="Edge basics", body="Plug it in.")
    # then
    revision = lesson.published_revision
    assert revision is not None
    assert (revision.number, revision.change) == (1, "initial")
    assert revision.content["variants"]["en"]["body"] == "Plug it in."


def test_learners_keep_the_published_revision_while_the_next_is_drafted(studio: Studio) -> None:
    # given
    lesson = studio.published(title="Edge basics")
    author = studio.world.actor("author")
    # when: an author starts a revision and edits the working copy
    lesson = item_revise(actor=author, item=lesson, change="minor", note="Clearer steps.")
    variant_save(actor=author, item=lesson, locale="en", title="Edge basics (draft)")
    # then
    assert lesson.state == ItemState.DRAFT
    assert _seen_by(studio, "manager", lesson.pk) == "Edge basics"
    # and once published again, learners read revision 2 with its note
    lesson = studio.publish(lesson)
    view = item_for_viewer(
        tenant=studio.world.tenant,
        viewer=viewer_for(studio.world.actor("manager")),
        item_id=lesson.pk,
    )
    assert view.title == "Edge basics (draft)"
    assert [(c.revision, c.note) for c in view.changes] == [(2, "Clearer steps.")]


def test_a_revision_needs_a_kind_and_a_note(studio: Studio) -> None:
    lesson = studio.published()
    author = studio.world.actor("author")
    with pytest.raises(ValidationFailed) as error:
        item_revise(actor=author, item=lesson, change="huge", note="x")
    assert error.value.code == "invalid_choice"
    with pytest.raises(ValidationFailed) as error:
        item_revise(actor=author, item=lesson, change="minor", note="  ")
    assert error.value.code == "note_required"
    draft = studio.draft()
    with pytest.raises(Conflict):
        item_revise(actor=author, item=draft, change="minor", note="Fix")


def test_minor_changes_flow_into_courses_and_major_ones_wait_for_republication(
    studio: Studio,
) -> None:
    # given: one reusable lesson in two modules of two courses
    lesson = studio.published(title="Edge basics")
    module_a = studio.container("module", "Module A", [lesson])
    module_b = studio.container("module", "Module B", [lesson])
    viewer = viewer_for(studio.world.actor("manager"))
    tenant = studio.world.tenant

    def child_titles(module_id: int) -> list[tuple[str, int]]:
        view = item_for_viewer(tenant=tenant, viewer=viewer, item_id=module_id)
        return [(c.title, c.revision) for c in view.children]

    # when: a minor revision is published
    lesson = _revise(studio, lesson, "minor", "Edge basics, typo fixed")
    # then: both modules show it at once
    assert child_titles(module_a.pk) == [("Edge basics, typo fixed", 2)]
    assert child_titles(module_b.pk) == [("Edge basics, typo fixed", 2)]
    assert containers_needing_republication() == {}

    # when: a major revision is published
    lesson = _revise(studio, lesson, "major", "Edge basics for release 8")
    # then: the modules keep revision 2 and are listed for re-publication
    assert child_titles(module_a.pk) == [("Edge basics, typo fixed", 2)]
    assert containers_needing_republication() == {
        module_a.pk: [lesson.pk],
        module_b.pk: [lesson.pk],
    }

    # when: module A is published again
    author = studio.world.actor("author")
    module_a = item_revise(actor=author, item=module_a, change="minor", note="Release 8 lesson.")
    studio.publish(module_a)
    # then
    assert child_titles(module_a.pk) == [("Edge basics for release 8", 3)]
    assert child_titles(module_b.pk) == [("Edge basics, typo fixed", 2)]
    assert containers_needing_republication() == {module_b.pk: [lesson.pk]}


def test_a_container_is_published_only_once_its_children_are(studio: Studio) -> None:
    lesson = studio.draft(title="Unpublished lesson")
    with pytest.raises(Conflict) as error:
        studio.container("module", "Module", [lesson])
    assert error.value.code == "children_unpublished"


def test_a_new_audience_reaches_learners_only_once_published(studio: Studio) -> None:
    # given: published for Gold (manager's organization is Gold, learner's is Silver)
    lesson = studio.published(title="Gold lesson")
    author = studio.world.actor("author")
    # when: the next draft widens it to everyone
    lesson = item_revise(actor=author, item=lesson, change="minor", note="For everyone now.")
    item_update(actor=author, item=lesson, audience=studio.everyone)
    # then: the Silver learner still cannot see it
    with pytest.raises(NotFound):
        _seen_by(studio, "learner", lesson.pk)
    # until it is published (two approvals: it now reaches every partner)
    studio.publish(lesson)
    assert _seen_by(studio, "learner", lesson.pk) == "Gold lesson"


def test_retired_items_disappear_even_while_a_revision_is_drafted(studio: Studio) -> None:
    lesson = studio.published(title="Old lesson")
    author = studio.world.actor("author")
    lesson = item_revise(actor=author, item=lesson, change="minor", note="x")
    item_retire(actor=author, item=lesson)
    with pytest.raises(NotFound):
        _seen_by(studio, "manager", lesson.pk)
    with pytest.raises(Conflict):
        item_retire(actor=author, item=studio.draft())


def test_translations_are_reviewed_then_reach_learners_as_a_minor_revision(
    studio: Studio,
) -> None:
    # given
    lesson = studio.published(title="Edge basics", body="Plug it in.")
    translator = studio.world.actor("translator")
    # when: the translator writes French and submits it
    variant = translation_save(
        actor=translator, item=lesson, locale="fr", title="Les bases", body="Branchez-le."
    )
    assert variant.status == VariantStatus.DRAFT
    # then: learners reading French still get the English text
    assert _seen_by(studio, "manager", lesson.pk, locale="fr") == "Edge basics"
    translation_submit(actor=translator, item=lesson, locale="fr")
    # the translator cannot approve their own work (translators do not review at all)
    with pytest.raises(PermissionDenied):
        translation_review(actor=translator, item=lesson, locale="fr", approve=True)
    # a reviewer sending it back must say why
    with pytest.raises(ValidationFailed):
        translation_review(
            actor=studio.world.actor("reviewer"), item=lesson, locale="fr", approve=False
        )
    translation_review(actor=studio.world.actor("reviewer"), item=lesson, locale="fr", approve=True)
    # then
    lesson.refresh_from_db()
    assert lesson.published_revision is not None
    assert (lesson.published_revision.number, lesson.published_revision.change) == (2, "minor")
    assert _seen_by(studio, "manager", lesson.pk, locale="fr") == "Les bases"
    # and the fallback chain fr-ca > fr finds it too
    assert _seen_by(studio, "manager", lesson.pk, locale="fr-ca") == "Les bases"
    assert _seen_by(studio, "manager", lesson.pk, locale="de") == "Edge basics"


def test_a_translation_needs_an_update_after_the_source_changes(studio: Studio) -> None:
    lesson = studio.published(title="Edge basics")
    translator = studio.world.actor("translator")
    translation_save(actor=translator, item=lesson, locale="fr", title="Les bases")
    assert translations_needing_update(lesson) == []
    author = studio.world.actor("author")
    lesson = item_revise(actor=author, item=lesson, change="minor", note="New intro")
    variant_save(actor=author, item=lesson, locale="en", title="Edge basics, new intro")
    assert translations_needing_update(lesson) == ["fr"]


def test_who_saw_which_revision_is_kept(studio: Studio) -> None:
    # given
    lesson = studio.published(title="Edge basics")
    manager = studio.world.actor("manager")
    first = lesson.published_revision
    assert first is not None
    revision_view_record(actor=manager, item=lesson, revision=first, locale="en")
    revision_view_record(actor=manager, item=lesson, revision=first, locale="en")
    # when
    lesson = _revise(studio, lesson, "minor", "Edge basics 2")
    second = ItemRevision.objects.get(item=lesson, number=2)
    revision_view_record(actor=manager, item=lesson, revision=second, locale="fr")
    # then
    seen = RevisionView.objects.filter(person=studio.world.people["manager"], item=lesson)
    assert sorted((v.revision.number, v.locale) for v in seen) == [(1, "en"), (2, "fr")]
