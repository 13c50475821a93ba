"""Translations in the studio: each language's status, the translator's editor beside the source
text, and the reviewer's approve or return."""

from __future__ import annotations

import pytest

from cascade.catalog.item_models import CatalogItem, ItemVariant
from cascade.catalog.items import variant_save
from cascade.catalog.revisions import translation_save, translation_submit
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio
from tests.conftest import make_member

# The catalog tests' authoring scene: an owner team, audiences, authors and reviewers.
studio = catalog_scenes.studio


@pytest.fixture
def bilingual(studio: Studio) -> Studio:
    studio.world.tenant.supported_locales = ["en", "fr", "de"]
    studio.world.tenant.save()
    return studio


def _variant(item: CatalogItem, locale: str) -> ItemVariant:
    return ItemVariant.objects.get(item=item, locale=locale)


def test_the_translations_tab_lists_each_language_of_the_program(bilingual: Studio) -> None:
    # given
    item = bilingual.published("lesson", "Firewall basics")
    translation_save(
        actor=bilingual.world.actor("translator"), item=item, locale="fr", title="Les bases"
    )
    # when
    response = bilingual.world.browser("translator").get(f"/studio/items/{item.pk}/translations/")
    # then
    rows = [(r.locale, r.status, r.needs_update) for r in response.context["rows"]]
    assert rows == [("fr", "Draft", False), ("de", "Not started", False)]
    html = response.content.decode()
    assert f'href="/studio/items/{item.pk}/translations/de/">Translate' in html
    assert f'href="/studio/items/{item.pk}/translations/fr/">Edit' in html


def test_a_translator_writes_beside_the_source_and_sends_for_review(bilingual: Studio) -> None:
    # given
    item = bilingual.published("lesson", "Firewall basics")
    client = bilingual.world.browser("translator")
    url = f"/studio/items/{item.pk}/translations/fr/"
    # when
    editor = client.get(url)
    saved = client.post(
        url,
        {
            "title": "Les bases du pare-feu",
            "summary": "Pourquoi",
            "body": "## Zones",
            "action": "save",
        },
        follow=True,
    )
    # then
    assert '<span lang="en">Firewall basics</span>' in editor.content.decode()
    assert "The Français translation is saved as a draft." in saved.content.decode()
    assert _variant(item, "fr").status == "draft"
    # when
    sent = client.post(
        url,
        {"title": "Les bases du pare-feu", "body": "## Zones", "action": "submit"},
        follow=True,
    )
    # then
    assert "The Français translation is saved and sent for review." in sent.content.decode()
    assert _variant(item, "fr").status == "in_review"
    assert (_variant(item, "fr").translated_by_id) == bilingual.world.people["translator"].pk


def test_a_reviewer_approves_a_translation_which_learners_get_at_once(bilingual: Studio) -> None:
    # given
    world = bilingual.world
    item = bilingual.published("lesson", "Firewall basics")
    translation_save(actor=world.actor("translator"), item=item, locale="fr", title="Les bases")
    translation_submit(actor=world.actor("translator"), item=item, locale="fr")
    client = world.browser("reviewer")
    # when
    page = client.get(f"/studio/items/{item.pk}/translations/fr/")
    approved = client.post(
        f"/studio/items/{item.pk}/translations/fr/review/", {"decision": "approve"}, follow=True
    )
    # then
    assert b">Approve the translation</button>" in page.content
    assert "The Français translation is approved. Learners reading it see it now." in (
        approved.content.decode()
    )
    item.refresh_from_db()
    assert item.published_revision is not None
    assert item.published_revision.content["variants"]["fr"]["title"] == "Les bases"


def test_returning_a_translation_needs_a_note(bilingual: Studio) -> None:
    # given
    world = bilingual.world
    item = bilingual.published("lesson", "Firewall basics")
    translation_save(actor=world.actor("translator"), item=item, locale="fr", title="Les bases")
    translation_submit(actor=world.actor("translator"), item=item, locale="fr")
    client = world.browser("reviewer")
    url = f"/studio/items/{item.pk}/translations/fr/review/"
    # when
    empty = client.post(url, {"decision": "return", "note": ""})
    returned = client.post(url, {"decision": "return", "note": "Use « pare-feu »."})
    # then
    assert empty.status_code == 422
    assert "Say what should change." in empty.content.decode()
    assert returned.status_code == 302
    assert _variant(item, "fr").status == "draft"


def test_a_translator_is_not_offered_to_review_their_own_translation(bilingual: Studio) -> None:
    # given
    world = bilingual.world
    make_member(world, "translating_reviewer", world.tenant, None, ["translator", "reviewer"])
    item = bilingual.published("lesson", "Firewall basics")
    actor = world.actor("translating_reviewer")
    translation_save(actor=actor, item=item, locale="fr", title="Les bases")
    translation_submit(actor=actor, item=item, locale="fr")
    client = world.browser("translating_reviewer")
    # when
    page = client.get(f"/studio/items/{item.pk}/translations/fr/")
    refused = client.post(
        f"/studio/items/{item.pk}/translations/fr/review/", {"decision": "approve"}
    )
    # then
    assert b"Approve the translation" not in page.content
    assert b"You translated this version, so another reviewer approves it." in page.content
    assert refused.status_code == 403
    assert b"You cannot approve your own translation." in refused.content
    assert _variant(item, "fr").status == "in_review"


def test_a_translation_made_from_an_older_source_is_flagged(bilingual: Studio) -> None:
    # given
    world = bilingual.world
    item = bilingual.draft("lesson", "Firewall basics")
    translation_save(actor=world.actor("translator"), item=item, locale="fr", title="Les bases")
    variant_save(actor=world.actor("author"), item=item, locale="en", title="Firewall zones")
    # when
    tab = world.browser("translator").get(f"/studio/items/{item.pk}/translations/")
    editor = world.browser("translator").get(f"/studio/items/{item.pk}/translations/fr/")
    # then
    assert [(r.locale, r.needs_update) for r in tab.context["rows"]] == [
        ("fr", True),
        ("de", False),
    ]
    assert "Needs update</span>" in tab.content.decode()
    assert "The English text changed after this translation was made." in (editor.content.decode())


def test_translations_are_checked_readably(bilingual: Studio) -> None:
    item = bilingual.published("lesson", "Firewall basics")
    response = bilingual.world.browser("translator").post(
        f"/studio/items/{item.pk}/translations/fr/", {"title": "", "action": "save"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"title": ["This field is required."]}
    assert not ItemVariant.objects.filter(item=item, locale="fr").exists()


def test_sending_a_translation_that_does_not_exist_is_a_readable_error(bilingual: Studio) -> None:
    item = bilingual.published("lesson", "Firewall basics")
    response = bilingual.world.browser("translator").post(
        f"/studio/items/{item.pk}/translations/fr/submit/"
    )
    assert response.status_code == 422
    assert b"No translation in that language." in response.content


@pytest.mark.parametrize("locale", ["en", "xx", "klingon"])
def test_the_source_language_and_unknown_languages_have_no_translation_page(
    bilingual: Studio, locale: str
) -> None:
    item = bilingual.published("lesson", "Firewall basics")
    response = bilingual.world.browser("translator").get(
        f"/studio/items/{item.pk}/translations/{locale}/"
    )
    assert response.status_code == 404


def test_retired_items_are_not_translated(bilingual: Studio) -> None:
    from cascade.catalog.items import item_retire

    item = bilingual.published("lesson", "Firewall basics")
    item_retire(actor=bilingual.world.actor("author"), item=item)
    response = bilingual.world.browser("translator").post(
        f"/studio/items/{item.pk}/translations/fr/", {"title": "Les bases", "action": "save"}
    )
    assert response.status_code == 409
    assert b"Retired items are not translated." in response.content
