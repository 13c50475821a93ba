"""The item editor's tabs: the text in the source language with a Markdown preview, settings,
the structure (building courses, modules and paths from reusable items), a lesson's formats,
product versions, and the item's history.

Structure and format changes are small steps (add, move, remove), each sent to the service as
the item's whole new list, so every step is validated and audited like any other change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.catalog import items as item_services
from cascade.catalog.browse import product_line_options
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import (
    CatalogItem,
    CatalogTeam,
    ItemKind,
    ItemState,
    ProductVersion,
)
from cascade.catalog.media_models import TRACK_KINDS, MediaKind
from cascade.catalog.media_selectors import media_asset_visible
from cascade.catalog.models import Audience
from cascade.catalog.rendering import render_markdown
from cascade.catalog.selectors import catalog_items_visible
from cascade.catalog.starters import STARTERS, Starter, child_create_from_starter, starter_get
from cascade.catalog.studio_forms import (
    FormatForm,
    ItemSettingsForm,
    ItemTextForm,
    NewChildForm,
    ProductVersionCreateForm,
    ProductVersionsForm,
    SupersedeForm,
    id_choices,
)
from cascade.catalog.studio_selectors import (
    LANGUAGE_NAMES,
    ChildRow,
    action_label,
    children_of,
    formats_of,
    item_history,
    kinds_in_words,
    lowest_teaser_tier,
    recent_viewers,
    revisions_of,
    source_variant,
    structure_candidates,
)
from cascade.catalog.views.studio_pages import item_page, studio_actor, studio_item
from cascade.core.errors import DomainError, ValidationFailed
from cascade.core.pagination import keyset_page
from cascade.web.pages import form_error, page, parse_int

MEDIA_CHOICES_SHOWN = 200
HISTORY_PAGE_SIZE = 30
NOT_A_DRAFT = (
    "Only drafts change. Start a new revision from the Overview to change a published item."
)

# --- text ---------------------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def studio_item_text(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    source = source_variant(item)
    initial = (
        {"title": source.title, "summary": source.summary, "body": source.body} if source else {}
    )
    form = ItemTextForm(request.POST if request.method == "POST" else None, initial=initial)
    preview_html = ""
    status = 200
    refused = None
    editable = can(actor, Action.CATALOG_AUTHOR) and item.state == ItemState.DRAFT
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        elif "preview" in request.POST:
            preview_html = render_markdown(form.cleaned_data["body"])
        else:
            try:
                item_services.variant_save(
                    actor=actor,
                    item=item,
                    locale=actor.tenant.default_locale,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    body=form.cleaned_data["body"],
                )
            except DomainError as error:
                form_error(form, error)
                status = error.status
                refused = error
            else:
                messages.success(request, "The text is saved.")
                return redirect("web:studio-item-text", item_id=item.pk)
    elif source is not None and source.body:
        preview_html = render_markdown(source.body)
    return item_page(
        request,
        "catalog/studio/item_text.html",
        item,
        "studio-item-text",
        {
            "form": form,
            "source": source,
            "editable": editable,
            "preview_html": preview_html,
            "source_language": LANGUAGE_NAMES.get(actor.tenant.default_locale, ""),
            "not_a_draft": NOT_A_DRAFT,
            # Shown above the page when the form is not there to show it.
            "error": refused if not editable else None,
        },
        status=status,
    )


@page
@require_POST
def studio_markdown_preview(request: HttpRequest, item_id: int) -> HttpResponse:
    """Markdown as learners will see it (sanitized), for the editors' Preview button. Reads the
    posted text only; saves nothing."""
    studio_item(request, item_id)
    body = request.POST.get("body", "")[:200_000]
    return render(
        request,
        "catalog/studio/_markdown_preview.html",
        {"preview_html": render_markdown(body) if body.strip() else ""},
    )


# --- settings -----------------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def studio_item_settings(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    teaser_tier = lowest_teaser_tier(item)
    form = ItemSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "audience": str(item.audience_id or ""),
            "owner_team": str(item.owner_team_id),
            "duration_minutes": item.duration_minutes,
            "review_by": item.review_by,
            "teaser_enabled": item.teaser_enabled,
        },
        teams=id_choices(CatalogTeam.objects.order_by("name")),
        audiences=id_choices(Audience.objects.order_by("name")),
        locked=item.state != ItemState.DRAFT,
        teaser_tier=teaser_tier.name if teaser_tier else None,
    )
    status = 200
    refused = None
    editable = can(actor, Action.CATALOG_AUTHOR) and item.state != ItemState.RETIRED
    if request.method == "POST":
        if form.is_valid():
            try:
                item_services.item_update(actor=actor, item=item, **_settings_changes(item, form))
            except DomainError as error:
                form_error(form, error)
                status = error.status
                refused = error
            else:
                messages.success(request, "The settings are saved.")
                return redirect("web:studio-item-settings", item_id=item.pk)
        else:
            status = 422
    return item_page(
        request,
        "catalog/studio/item_settings.html",
        item,
        "studio-item-settings",
        {"form": form, "can_edit": editable, "error": refused if not editable else None},
        status=status,
    )


def _settings_changes(item: CatalogItem, form: ItemSettingsForm) -> dict[str, Any]:
    """The settings to give the service: audience and owner team only when they change (they
    change only in drafts), the others always."""
    data = form.cleaned_data
    changes: dict[str, Any] = {
        "duration_minutes": data["duration_minutes"],
        "review_by": data["review_by"],
        "teaser_enabled": data["teaser_enabled"],
    }
    audience_id = parse_int(data.get("audience"))
    if audience_id != item.audience_id:
        changes["audience"] = Audience.objects.get(pk=audience_id) if audience_id else None
    team_id = parse_int(data.get("owner_team"))
    if team_id is not None and team_id != item.owner_team_id:
        changes["owner_team"] = CatalogTeam.objects.get(pk=team_id)
    return changes


# --- structure ----------------------------------------------------------------------------------


def _structure_page(
    request: HttpRequest,
    item: CatalogItem,
    *,
    new_form: NewChildForm | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    """The structure editor. A refused step is told in the messages region, which htmx swaps in
    with the editor, so the author sees why wherever the page is scrolled."""
    actor = studio_actor(request)
    if error is not None:
        messages.error(request, error.message)
    children = children_of(item)
    query = (request.GET.get("q") or "").strip()[:200]
    candidates = structure_candidates(
        actor=actor, item=item, query=query, exclude=[row.child.pk for row in children]
    )
    allowed = item_services.CHILD_KINDS[item.kind]
    starters = [s for s in STARTERS if s.kind in allowed]
    context = {
        "children": children,
        "candidates": candidates,
        "query": query,
        "editable": can(actor, Action.CATALOG_AUTHOR) and item.state == ItemState.DRAFT,
        "shows_required": item.kind in (ItemKind.PATH, ItemKind.MODULE),
        "electives": sum(1 for row in children if not row.link.required),
        "allowed_labels": kinds_in_words(allowed),
        "new_form": _new_child_form(new_form, starters),
        "new_starters": starters,
        "not_a_draft": NOT_A_DRAFT,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "candidates":
        return render(
            request, "catalog/studio/_structure_candidates.html", {"item": item, **context}
        )
    return item_page(
        request,
        "catalog/studio/item_structure.html",
        item,
        "studio-item-structure",
        context,
        status=error.status if error else 200,
    )


def _new_child_form(form: NewChildForm | None, starters: list[Starter]) -> NewChildForm:
    form = form or NewChildForm()
    kinds = {starter.kind for starter in starters}
    form.fields["title"].label = (
        f"Title of the new {starters[0].kind_label.lower()}" if len(kinds) == 1 else "Title"
    )
    return form


@page
@require_http_methods(["GET", "POST"])
def studio_item_structure(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    if request.method == "GET":
        return _structure_page(request, item)
    op = request.POST.get("op", "")
    if op == "new":
        return _structure_new(request, item)
    rows = children_of(item)
    try:
        children, electives, done = _structure_change(
            actor=actor, item=item, rows=rows, post=request.POST
        )
        item_services.item_structure_set(
            actor=actor, item=item, children=children, electives_required=electives
        )
    except DomainError as error:
        return _structure_page(request, item, error=error)
    messages.success(request, done)
    return redirect("web:studio-item-structure", item_id=item.pk)


def _structure_change(
    *, actor: Actor, item: CatalogItem, rows: list[ChildRow], post: Any
) -> tuple[list[tuple[CatalogItem, bool]], int, str]:
    """The item's children after one step of the editor, with what to tell the author."""
    children = [(row.child, row.link.required) for row in rows]
    titles = {row.child.pk: row.title for row in rows}
    electives = item.electives_required
    op = post.get("op", "")
    child_id = parse_int(post.get("child"))
    index = next((i for i, (c, _) in enumerate(children) if c.pk == child_id), None)
    if op == "add":
        child = catalog_items_visible(actor).filter(pk=child_id or 0).first()
        if child is None:
            raise ValidationFailed.field(
                "child", "Choose an item to add.", code="unknown_reference"
            )
        children.append((child, True))
        return children, electives, "Added. It is now the last step."
    if op == "electives":
        value = parse_int(post.get("electives_required"))
        if value is None:
            raise ValidationFailed.field(
                "electives_required", "Give a number of electives.", code="invalid_electives"
            )
        return children, value, "The number of electives to complete is saved."
    if index is None:
        raise ValidationFailed.field("child", "That step is no longer there.", code="unknown")
    title = titles.get(children[index][0].pk, "The step")
    if op == "remove":
        del children[index]
        return children, min(electives, _elective_count(children)), f"Removed “{title}”."
    if op in ("up", "down"):
        target = index - 1 if op == "up" else index + 1
        if 0 <= target < len(children):
            children[index], children[target] = children[target], children[index]
        return children, electives, f"Moved “{title}” {op}."
    if op == "required":
        required = post.get("required") == "1"
        children[index] = (children[index][0], required)
        electives = min(electives, _elective_count(children))
        state = "required" if required else "optional"
        return children, electives, f"“{title}” is now {state}."
    raise ValidationFailed.field("op", "Unknown change.", code="invalid_choice")


def _elective_count(children: list[tuple[CatalogItem, bool]]) -> int:
    return sum(1 for _, required in children if not required)


def _structure_new(request: HttpRequest, item: CatalogItem) -> HttpResponse:
    actor = studio_actor(request)
    form = NewChildForm(request.POST)
    if not form.is_valid():
        return _structure_page(
            request,
            item,
            new_form=form,
            error=ValidationFailed("Give the new step a title.", code="invalid_title"),
        )
    try:
        starter = starter_get(request.POST.get("starter", ""))
        child_create_from_starter(
            actor=actor, parent=item, starter=starter, title=form.cleaned_data["title"]
        )
    except DomainError as error:
        form_error(form, error)
        return _structure_page(request, item, new_form=form, error=error)
    messages.success(
        request,
        f"“{form.cleaned_data['title']}” is created and added as the last step. Open it to "
        "write it.",
    )
    return redirect("web:studio-item-structure", item_id=item.pk)


# --- formats ------------------------------------------------------------------------------------


def _format_form(request: HttpRequest, data: Any = None) -> FormatForm:
    actor = studio_actor(request)
    assets = media_asset_visible(actor)
    media = assets.filter(
        kind__in=[MediaKind.VIDEO, MediaKind.AUDIO, MediaKind.DOCUMENT, MediaKind.IMAGE]
    ).order_by("-created_at", "-id")[:MEDIA_CHOICES_SHOWN]
    tracks = assets.filter(kind__in=TRACK_KINDS).order_by("-created_at", "-id")[
        :MEDIA_CHOICES_SHOWN
    ]
    return FormatForm(
        data,
        media=[(str(a.pk), _asset_label(a.title, a.get_kind_display(), a.language)) for a in media],
        tracks=[
            (str(a.pk), _asset_label(a.title, a.get_kind_display(), a.language)) for a in tracks
        ],
    )


def _asset_label(title: str, kind: str, language: str) -> str:
    return f"{title} ({kind}{', ' + language if language else ''})"


def _specs(formats: list[LessonFormat]) -> list[FormatSpec]:
    return [
        FormatSpec(
            kind=f.kind,
            locale=f.locale,
            media_id=f.media_id,
            url=f.url,
            track_ids=tuple(t.pk for t in f.tracks.all()),
            reference=f.reference,
        )
        for f in formats
    ]


def _formats_page(
    request: HttpRequest,
    item: CatalogItem,
    *,
    form: FormatForm | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    actor = studio_actor(request)
    if error is not None:
        messages.error(request, error.message)
    return item_page(
        request,
        "catalog/studio/item_formats.html",
        item,
        "studio-item-formats",
        {
            "formats": formats_of(item),
            "form": form or _format_form(request),
            "editable": can(actor, Action.CATALOG_AUTHOR)
            and item.state == ItemState.DRAFT
            and item.kind in (ItemKind.LESSON, ItemKind.CARD),
            "has_formats": item.kind in (ItemKind.LESSON, ItemKind.CARD),
            "not_a_draft": NOT_A_DRAFT,
        },
        status=error.status if error else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def studio_item_formats(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    if request.method == "GET":
        return _formats_page(request, item)
    current = formats_of(item)
    specs = _specs(current)
    op = request.POST.get("op", "")
    form = None
    if op == "add":
        form = _format_form(request, request.POST)
        if not form.is_valid():
            return _formats_page(
                request,
                item,
                form=form,
                error=ValidationFailed("Check the new format.", code="invalid"),
            )
        data = form.cleaned_data
        specs.append(
            FormatSpec(
                kind=data["kind"],
                locale=data["locale"],
                media_id=parse_int(data["media_id"]),
                url=data["url"],
                track_ids=tuple(int(t) for t in data["track_ids"]),
                reference=data["reference"],
            )
        )
        done = "The format is added."
    else:
        position = next(
            (i for i, f in enumerate(current) if f.pk == parse_int(request.POST.get("format"))),
            None,
        )
        if position is None or op not in ("remove", "up", "down"):
            return _formats_page(
                request,
                item,
                error=ValidationFailed("That format is no longer there.", code="unknown"),
            )
        if op == "remove":
            del specs[position]
            done = "The format is removed."
        else:
            target = position - 1 if op == "up" else position + 1
            if 0 <= target < len(specs):
                specs[position], specs[target] = specs[target], specs[position]
            done = "The formats are reordered."
    try:
        item_formats_set(actor=actor, item=item, formats=specs)
    except DomainError as error:
        if form is not None:
            form_error(form, error)
        return _formats_page(request, item, form=form, error=error)
    messages.success(request, done)
    return redirect("web:studio-item-formats", item_id=item.pk)


# --- product versions ---------------------------------------------------------------------------


def _version_choices() -> list[tuple[str, str]]:
    return [
        (str(version.id), f"{version.label} (legacy, see {version.current_label})")
        if version.legacy
        else (str(version.id), version.label)
        for line in product_line_options()
        for version in line.versions
    ]


@page
@require_http_methods(["GET", "POST"])
def studio_item_versions(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    chosen = [str(pk) for pk in item.product_versions.values_list("pk", flat=True)]
    editable = can(actor, Action.CATALOG_AUTHOR)
    refused = None
    form = ProductVersionsForm(
        request.POST if request.method == "POST" else None,
        initial={"versions": chosen},
        versions=_version_choices(),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item_services.item_product_versions_set(
                    actor=actor,
                    item=item,
                    versions=list(
                        ProductVersion.objects.filter(
                            pk__in=[int(v) for v in form.cleaned_data["versions"]]
                        )
                    ),
                )
            except DomainError as error:
                form_error(form, error)
                status = error.status
                refused = error
            else:
                messages.success(request, "The product versions are saved.")
                return redirect("web:studio-item-versions", item_id=item.pk)
        else:
            status = 422
    return item_page(
        request,
        "catalog/studio/item_versions.html",
        item,
        "studio-item-versions",
        {"form": form, "can_edit": editable, "error": refused if not editable else None},
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def studio_product_versions(request: HttpRequest) -> HttpResponse:
    """Product lines and versions: add a version, mark an older one legacy."""
    actor = studio_actor(request)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    create_form = ProductVersionCreateForm(posted if which == "create" else None)
    supersede_form = SupersedeForm(
        posted if which == "supersede" else None, versions=_version_choices()
    )
    status = 200
    if posted is not None:
        require(actor, Action.CATALOG_AUTHOR)
        form = create_form if which == "create" else supersede_form
        if form.is_valid():
            try:
                if which == "create":
                    version = item_services.product_version_create(
                        actor=actor,
                        product_line_name=form.cleaned_data["product_line"],
                        name=form.cleaned_data["name"],
                        released_on=form.cleaned_data["released_on"],
                    )
                    done = f"{form.cleaned_data['product_line']} {version.name} is added."
                else:
                    old = ProductVersion.objects.get(pk=int(form.cleaned_data["version"]))
                    new = ProductVersion.objects.get(pk=int(form.cleaned_data["superseded_by"]))
                    item_services.product_version_supersede(actor=actor, version=old, by=new)
                    done = f"{old.name} is now legacy; learners are pointed to {new.name}."
            except DomainError as error:
                form_error(form, error)
                status = error.status
            else:
                messages.success(request, done)
                return redirect("web:studio-product-versions")
        else:
            status = 422
    return render(
        request,
        "catalog/studio/product_versions.html",
        {
            "lines": product_line_options(),
            "create_form": create_form,
            "supersede_form": supersede_form,
            "can_edit": can(actor, Action.CATALOG_AUTHOR),
        },
        status=status,
    )


# --- history ------------------------------------------------------------------------------------


@page
def studio_item_history(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    entries = keyset_page(
        item_history(item),
        ordering=("-id",),
        cursor=request.GET.get("cursor") or None,
        limit=HISTORY_PAGE_SIZE,
    )
    return item_page(
        request,
        "catalog/studio/item_history.html",
        item,
        "studio-item-history",
        {
            "entries": entries,
            "history": [(entry, action_label(entry.action)) for entry in entries.items],
            "revisions": revisions_of(item),
            "viewers": recent_viewers(actor, item),
        },
    )
