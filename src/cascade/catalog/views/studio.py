"""The studio's home (the items list), creating an item from a starter, and an item's overview
with the lifecycle buttons this actor may use now (submit, approve, send back, publish, revise,
retire)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can
from cascade.audit.models import AuditEntry
from cascade.catalog import items as item_services
from cascade.catalog import revisions as revision_services
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ItemState
from cascade.catalog.models import Audience
from cascade.catalog.starters import STARTERS, item_create_from_starter, starter_get
from cascade.catalog.studio_forms import (
    ItemCreateForm,
    NoteForm,
    ReviseForm,
    StudioFilterForm,
    id_choices,
)
from cascade.catalog.studio_selectors import (
    REVIEW_SOON,
    StudioFilters,
    StudioView,
    abilities,
    approval_status,
    children_of,
    containers_of_kind,
    formats_of,
    parents_of,
    source_variant,
    studio_item_list,
    studio_rows,
    submission_checklist,
    translation_rows,
    translations_awaiting_review,
)
from cascade.catalog.views.studio_pages import item_page, studio_actor, studio_item, today
from cascade.core.errors import DomainError, PermissionDenied
from cascade.core.pagination import keyset_page
from cascade.web.pages import form_error, page, parse_int

PAGE_SIZE = 25
RECENTLY_CHANGED = ("-updated_at", "-pk")
VIEWS = {
    StudioView.ALL: "All items",
    StudioView.REVIEW: "Waiting for my review",
    StudioView.ATTENTION: "Needs attention",
}


@page
@require_http_methods(["GET"])
def studio_home(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    form = StudioFilterForm(
        request.GET or None, teams=id_choices(CatalogTeam.objects.order_by("name"))
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    view = request.GET.get("view") or StudioView.ALL
    if view not in VIEWS:
        view = StudioView.ALL
    filters = StudioFilters(
        view=view,
        state=data.get("state") or None,
        kind=data.get("kind") or None,
        owner_team_id=parse_int(data.get("owner_team")),
        q=(data.get("q") or "").strip() or None,
    )
    page = keyset_page(
        studio_item_list(actor=actor, filters=filters, today=today()),
        ordering=RECENTLY_CHANGED,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    filters_query = request.GET.copy()
    for name in ("cursor", "view"):
        filters_query.pop(name, None)
    context = {
        "form": form,
        "rows": studio_rows(tenant=actor.tenant, items=page.items, today=today()),
        "next_cursor": page.next_cursor,
        "query": query.urlencode(),
        "filters_query": filters_query.urlencode(),
        "view": view,
        "views": [
            (name, label)
            for name, label in VIEWS.items()
            if name != StudioView.REVIEW or can(actor, Action.CATALOG_REVIEW)
        ],
        "appending": bool(request.GET.get("cursor")),
        "can_author": can(actor, Action.CATALOG_AUTHOR),
        "translation_tasks": translations_awaiting_review(actor)
        if view == StudioView.REVIEW
        else [],
    }
    if getattr(request, "htmx", False):
        template = (
            "catalog/studio/_item_rows.html"
            if context["appending"]
            else "catalog/studio/_item_results.html"
        )
        return render(request, template, context)
    return render(request, "catalog/studio/home.html", context)


def _choices_for_item_forms() -> dict[str, Any]:
    return {
        "teams": id_choices(CatalogTeam.objects.order_by("name")),
        "audiences": id_choices(Audience.objects.order_by("name")),
    }


@page
@require_http_methods(["GET", "POST"])
def studio_item_create(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    if not can(actor, Action.CATALOG_AUTHOR):
        raise PermissionDenied("Only content authors create items.", code="forbidden")
    initial = {"starter": request.GET.get("starter", "")}
    form = ItemCreateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        **_choices_for_item_forms(),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                starter = starter_get(form.cleaned_data["starter"])
                audience_id = parse_int(form.cleaned_data["audience"])
                item = item_create_from_starter(
                    actor=actor,
                    starter=starter,
                    owner_team=CatalogTeam.objects.get(pk=int(form.cleaned_data["owner_team"])),
                    title=form.cleaned_data["title"],
                    audience=Audience.objects.get(pk=audience_id) if audience_id else None,
                )
            except DomainError as error:
                form_error(form, error)
                status = error.status
            else:
                next_steps = "Next: fill in the outline on the Text tab"
                if starter.formats_to_add:
                    next_steps += f", then add the {' and '.join(starter.formats_to_add).lower()}"
                    next_steps += " on the Formats tab"
                messages.success(request, f"Your {starter.name.lower()} is created. {next_steps}.")
                return redirect("web:studio-item-text", item_id=item.pk)
        else:
            status = 422
    return render(
        request,
        "catalog/studio/item_create.html",
        {
            "form": form,
            "starters": STARTERS,
            "has_teams": bool(form.fields["owner_team"].choices[1:]),  # type: ignore[attr-defined]
        },
        status=status,
    )


# --- an item's overview and lifecycle -----------------------------------------------------------


def _last_review_note(item: CatalogItem) -> AuditEntry | None:
    """The reviewer's note that sent the current draft back, if it was sent back."""
    if item.state != ItemState.DRAFT:
        return None
    last = (
        AuditEntry.objects.filter(
            target_type=CatalogItem._meta.label_lower,
            target_id=str(item.pk),
            action__in=[
                "catalog_item.review_note",
                "catalog_item.submit",
                "catalog_item.revise",
            ],
        )
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return last if last is not None and last.action == "catalog_item.review_note" else None


def _review_due(item: CatalogItem) -> str:
    """ "overdue", "soon" or "" for the item's review-by date."""
    if item.review_by is None or item.state == ItemState.RETIRED:
        return ""
    if item.review_by < today():
        return "overdue"
    return "soon" if item.review_by <= today() + REVIEW_SOON else ""


def render_overview(
    request: HttpRequest,
    actor: Actor,
    item: CatalogItem,
    *,
    note_form: NoteForm | None = None,
    revise_form: ReviseForm | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    source = source_variant(item)
    approvals = approval_status(item)
    children = children_of(item)
    format_count = len(formats_of(item))
    stale_translations = [row for row in translation_rows(item) if row.needs_update]
    republish = revision_services.containers_needing_republication([item.pk]).get(item.pk, [])
    republish_titles = [c.title for c in children if c.child.pk in republish]
    context = {
        "item_title": source.title if source else "",
        "source": source,
        "abilities": abilities(actor, item, approvals),
        "approvals": approvals,
        "checklist": submission_checklist(item, source, children, format_count),
        "parents": parents_of(item),
        "unused_text": f"No {containers} uses it yet."
        if (containers := containers_of_kind(item.kind))
        else "",
        "stale_translations": stale_translations,
        "republish_titles": republish_titles,
        "review_note": _last_review_note(item),
        "note_form": note_form or NoteForm(),
        "revise_form": revise_form or ReviseForm(),
        "error": error,
        "review_due": _review_due(item),
    }
    return item_page(
        request,
        "catalog/studio/item_overview.html",
        item,
        "studio-item",
        context,
        status=error.status if error else 200,
    )


@page
def studio_item_overview(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render_overview(request, actor, item)


def _lifecycle(
    request: HttpRequest,
    item_id: int,
    change: Callable[[Actor, CatalogItem], object],
    success: str,
) -> HttpResponse:
    """Run one move of the item's lifecycle; a refusal is shown on the overview with its
    status, a success comes back to the overview with a message."""
    actor, item = studio_item(request, item_id)
    try:
        change(actor, item)
    except DomainError as error:
        return render_overview(request, actor, item, error=error)
    messages.success(request, success)
    return redirect("web:studio-item", item_id=item.pk)


def _submit(request: HttpRequest, item_id: int) -> HttpResponse:
    return _lifecycle(
        request,
        item_id,
        lambda actor, item: item_services.item_submit(actor=actor, item=item),
        "Submitted for review. Reviewers see it in their list now.",
    )


def _approve(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    try:
        item_services.item_approve(actor=actor, item=item)
    except DomainError as error:
        return render_overview(request, actor, item, error=error)
    item.refresh_from_db()
    messages.success(
        request,
        "Approved. It can be published now."
        if item.state == ItemState.APPROVED
        else "Your approval is recorded. It still needs another approval.",
    )
    return redirect("web:studio-item", item_id=item.pk)


def _request_changes(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, actor, item, note_form=form)
    try:
        item_services.item_request_changes(actor=actor, item=item, note=form.cleaned_data["note"])
    except DomainError as error:
        form_error(form, error)
        return render_overview(request, actor, item, note_form=form, error=error)
    messages.success(request, "Sent back to its authors with your note.")
    return redirect("web:studio-item", item_id=item.pk)


def _publish(request: HttpRequest, item_id: int) -> HttpResponse:
    return _lifecycle(
        request,
        item_id,
        lambda actor, item: item_services.item_publish(actor=actor, item=item),
        "Published. Partner people in its audience see it now.",
    )


def _revise(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        return _refused(request, actor, item, revise_form=form)
    try:
        revision_services.item_revise(
            actor=actor,
            item=item,
            change=form.cleaned_data["change"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        form_error(form, error)
        return render_overview(request, actor, item, revise_form=form, error=error)
    messages.success(
        request,
        "A new revision is started as a draft. Learners keep the published one until this "
        "one is reviewed and published.",
    )
    return redirect("web:studio-item", item_id=item.pk)


def _retire(request: HttpRequest, item_id: int) -> HttpResponse:
    return _lifecycle(
        request,
        item_id,
        lambda actor, item: item_services.item_retire(actor=actor, item=item),
        "Retired. Learners no longer see it.",
    )


def _refused(
    request: HttpRequest,
    actor: Actor,
    item: CatalogItem,
    *,
    note_form: NoteForm | None = None,
    revise_form: ReviseForm | None = None,
) -> HttpResponse:
    response = render_overview(request, actor, item, note_form=note_form, revise_form=revise_form)
    response.status_code = 422
    return response


def _posted(view: Callable[[HttpRequest, int], HttpResponse]) -> Callable[..., HttpResponse]:
    return page(require_POST(view))


studio_item_submit = _posted(_submit)
studio_item_approve = _posted(_approve)
studio_item_request_changes = _posted(_request_changes)
studio_item_publish = _posted(_publish)
studio_item_revise = _posted(_revise)
studio_item_retire = _posted(_retire)
