"""The studio's pages (authoring the catalog), included under "studio/" in the "web" namespace by
cascade.web.urls."""

from django.urls import URLPattern, path

from cascade.catalog.views import (
    studio,
    studio_audiences,
    studio_editor,
    studio_preview,
    studio_teams,
    studio_translations,
)

ITEM = "items/<int:item_id>/"

urlpatterns: list[URLPattern] = [
    path("", studio.studio_home, name="studio"),
    path("items/new/", studio.studio_item_create, name="studio-item-create"),
    # One item: its overview with the lifecycle, then a page per part of it.
    path(ITEM, studio.studio_item_overview, name="studio-item"),
    path(f"{ITEM}submit/", studio.studio_item_submit, name="studio-item-submit"),
    path(f"{ITEM}approve/", studio.studio_item_approve, name="studio-item-approve"),
    path(
        f"{ITEM}request-changes/",
        studio.studio_item_request_changes,
        name="studio-item-request-changes",
    ),
    path(f"{ITEM}publish/", studio.studio_item_publish, name="studio-item-publish"),
    path(f"{ITEM}revise/", studio.studio_item_revise, name="studio-item-revise"),
    path(f"{ITEM}retire/", studio.studio_item_retire, name="studio-item-retire"),
    path(f"{ITEM}text/", studio_editor.studio_item_text, name="studio-item-text"),
    path(f"{ITEM}preview/", studio_editor.studio_markdown_preview, name="studio-item-preview"),
    path(f"{ITEM}settings/", studio_editor.studio_item_settings, name="studio-item-settings"),
    path(f"{ITEM}structure/", studio_editor.studio_item_structure, name="studio-item-structure"),
    path(f"{ITEM}formats/", studio_editor.studio_item_formats, name="studio-item-formats"),
    path(f"{ITEM}versions/", studio_editor.studio_item_versions, name="studio-item-versions"),
    path(f"{ITEM}history/", studio_editor.studio_item_history, name="studio-item-history"),
    path(
        f"{ITEM}translations/",
        studio_translations.studio_item_translations,
        name="studio-item-translations",
    ),
    path(
        f"{ITEM}translations/<str:locale>/",
        studio_translations.studio_translation,
        name="studio-translation",
    ),
    path(
        f"{ITEM}translations/<str:locale>/submit/",
        studio_translations.studio_translation_submit,
        name="studio-translation-submit",
    ),
    path(
        f"{ITEM}translations/<str:locale>/review/",
        studio_translations.studio_translation_review,
        name="studio-translation-review",
    ),
    # Audiences, product versions, and previewing the catalog as a partner persona.
    path("teams/", studio_teams.studio_teams, name="studio-teams"),
    path("teams/new/", studio_teams.studio_team_create, name="studio-team-create"),
    path("teams/<int:team_id>/", studio_teams.studio_team, name="studio-team"),
    path("audiences/", studio_audiences.studio_audiences, name="studio-audiences"),
    path("audiences/new/", studio_audiences.studio_audience_create, name="studio-audience-create"),
    path("audiences/<int:audience_id>/", studio_audiences.studio_audience, name="studio-audience"),
    path(
        "product-versions/",
        studio_editor.studio_product_versions,
        name="studio-product-versions",
    ),
    path("preview/", studio_preview.studio_preview, name="studio-preview"),
    path(
        "preview/items/<int:item_id>/",
        studio_preview.studio_preview_item,
        name="studio-preview-item",
    ),
]
