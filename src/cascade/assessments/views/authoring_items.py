"""Items: writing one in a bank (choosing its type, then its editor), its page, correcting it
into a new version, retiring it, its version history and each past version.

The editor shows a live preview: as the author types, htmx posts the editor to `item_preview`,
which answers with the item as the learner would be shown it (and the key, and a scenario's
map), or with what is wrong with it. Without JavaScript, "Check and preview" does the same by
posting the page. Saving validates first and writes nothing unless everything is right.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.assessments import authoring_selectors as reads
from cascade.assessments import services
from cascade.assessments.authoring_forms import (
    ITEM_TYPES,
    ItemEditor,
    ItemTagsForm,
    RevisionNoteForm,
)
from cascade.assessments.models import Item, ItemVersion, QuestionBank
from cascade.assessments.views.authoring_display import DisplayProblem, ItemDisplay, item_display
from cascade.assessments.views.authoring_pages import author, can_author, only_read, reader
from cascade.core.errors import DomainError, ValidationFailed
from cascade.web.pages import page

TAG_FIELDS = ("points", "difficulty", "competency_ids", "product_version_ids")


def _tags_form(actor: Actor, data: QueryDict | None, **kwargs: Any) -> ItemTagsForm:
    return ItemTagsForm(
        data,
        competencies=reads.competency_choices(actor=actor),
        product_versions=reads.product_version_choices(),
        **kwargs,
    )


def _posted_as_initial(
    data: QueryDict, names: tuple[str, ...], lists: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Posted values as a form's initial values: a form shown again without judging it (when
    the author only asked for more rows)."""
    return {name: data.getlist(name) if name in lists else data.get(name, "") for name in names}


def _definition_errors(editor: ItemEditor, error: ValidationFailed) -> list[dict[str, Any]]:
    """Place the errors about the definition in the editor; return the others."""
    others = []
    for detail in error.details:
        where = str(detail.get("field") or "")
        if where == "definition" or where.startswith("definition."):
            editor.add_error(where.removeprefix("definition").lstrip("."), str(detail["message"]))
        else:
            others.append(detail)
    if not error.details:
        editor.top_errors.append(error.message)
    return others


def checked(actor: Actor, editor: ItemEditor) -> ItemDisplay | DisplayProblem | None:
    """The item the editor holds, as the learner would see it, or None when it is not right
    (each reason is then placed in the editor)."""
    definition = editor.definition()
    if definition is None:
        return None
    try:
        public, _ = services.item_preview(actor=actor, definition=definition)
    except ValidationFailed as error:
        for detail in _definition_errors(editor, error):
            editor.top_errors.append(str(detail.get("message") or error.message))
        return None
    if editor.errors():
        return None
    return item_display(definition, public)


def _apply(
    error: DomainError,
    editor: ItemEditor,
    tags: ItemTagsForm,
    note: RevisionNoteForm | None = None,
) -> None:
    """A refusal of the services, beside what it concerns."""
    if not isinstance(error, ValidationFailed):
        editor.top_errors.append(error.message)
        return
    for detail in _definition_errors(editor, error):
        field = str(detail.get("field") or "")
        message = str(detail.get("message") or error.message)
        if field in TAG_FIELDS:
            tags.add_error(field, message)
        elif field == "note" and note is not None:
            note.add_error("note", message)
        else:
            editor.top_errors.append(message)


# --- writing an item ------------------------------------------------------------------------------


def _editor_page(
    request: HttpRequest,
    *,
    bank: QuestionBank,
    editor: ItemEditor,
    tags: ItemTagsForm,
    display: ItemDisplay | DisplayProblem | None,
    item: Item | None = None,
    note: RevisionNoteForm | None = None,
    status: int = 200,
    judged: bool = False,
) -> HttpResponse:
    return render(
        request,
        "assessments/authoring/item_editor.html",
        {
            "bank": bank,
            "item": item,
            "editor": editor,
            "tags_form": tags,
            "note_form": note,
            "display": display,
            "errors": editor.errors() if judged else [],
            "preview_errors": editor.errors() if judged else editor.preview_errors,
            "judged": judged,
        },
        status=status,
    )


def _quiet_editor(
    actor: Actor, item_type: str, data: QueryDict, *, with_note: bool
) -> tuple[ItemEditor, ItemTagsForm, RevisionNoteForm | None, ItemDisplay | DisplayProblem | None]:
    """The editor shown again with more rows, unjudged; the preview still says what is wrong."""
    editor = ItemEditor(item_type, data=data, quiet=True)
    judge = ItemEditor(item_type, data=data)
    display = checked(actor, judge)
    tags = _tags_form(
        actor,
        None,
        initial=_posted_as_initial(data, TAG_FIELDS, ("competency_ids", "product_version_ids")),
    )
    note = RevisionNoteForm(initial={"note": data.get("note", "")}) if with_note else None
    editor.preview_errors = judge.errors()
    return editor, tags, note, display


@page
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, bank_id: int) -> HttpResponse:
    actor = author(request)
    bank = reads.bank_get(actor=actor, bank_id=bank_id)
    item_type = (request.POST.get("type") or request.GET.get("type") or "").strip()
    if item_type not in ITEM_TYPES:
        return render(
            request,
            "assessments/authoring/item_type.html",
            {"bank": bank, "types": ITEM_TYPES.values(), "unknown": bool(item_type)},
            status=422 if item_type else 200,
        )
    if request.method == "GET":
        editor = ItemEditor(item_type)
        return _editor_page(
            request,
            bank=bank,
            editor=editor,
            tags=_tags_form(actor, None),
            display=item_display({"type": item_type, "prompt": "Your question", **_starter(editor)})
            if editor.info.editor == "json"
            else None,
        )
    if request.POST.get("more"):
        editor, tags, _, display = _quiet_editor(actor, item_type, request.POST, with_note=False)
        return _editor_page(request, bank=bank, editor=editor, tags=tags, display=display)
    editor = ItemEditor(item_type, data=request.POST)
    tags = _tags_form(actor, request.POST)
    display = checked(actor, editor)
    tags_valid = tags.is_valid()
    if "preview" in request.POST or display is None or not tags_valid:
        failed = display is None or not tags_valid
        return _editor_page(
            request,
            bank=bank,
            editor=editor,
            tags=tags,
            display=display,
            status=422 if failed else 200,
            judged=True,
        )
    try:
        item = services.item_create(
            actor=actor,
            bank_id=bank.pk,
            definition=editor.definition(),
            points=tags.cleaned_data["points"],
            difficulty=tags.cleaned_data["difficulty"],
            competency_ids=[int(pk) for pk in tags.cleaned_data["competency_ids"]],
            product_version_ids=[int(pk) for pk in tags.cleaned_data["product_version_ids"]],
        )
    except DomainError as error:
        _apply(error, editor, tags)
        return _editor_page(
            request,
            bank=bank,
            editor=editor,
            tags=tags,
            display=None,
            status=error.status,
            judged=True,
        )
    messages.success(
        request, f"The {ITEM_TYPES[item_type].label.lower()} item is saved as version 1."
    )
    return redirect("web:assessment-item", assessment_item_id=item.pk)


def _starter(editor: ItemEditor) -> dict[str, Any]:
    """What a new item's preview shows before the author types: the JSON starter of the
    complex types; nothing for the others."""
    if editor.info.editor != "json":
        return {}
    return json.loads(editor.form.initial["details"])


@page
@require_POST
def item_preview(request: HttpRequest) -> HttpResponse:
    """The live preview of the editor's content; saves nothing."""
    actor = author(request)
    item_type = request.POST.get("type", "")
    if item_type not in ITEM_TYPES:
        return render(
            request,
            "assessments/authoring/_preview.html",
            {"display": None, "preview_errors": [], "unknown_type": True},
        )
    editor = ItemEditor(item_type, data=request.POST)
    display = checked(actor, editor)
    return render(
        request,
        "assessments/authoring/_preview.html",
        {"display": display, "preview_errors": editor.errors(), "live": True},
    )


# --- an item, its versions, correcting and retiring it ------------------------------------------


def _item_page(
    request: HttpRequest,
    actor: Actor,
    item: Item,
    version: ItemVersion,
    *,
    tab: str,
    status: int = 200,
    error: DomainError | None = None,
) -> HttpResponse:
    return render(
        request,
        "assessments/authoring/item.html",
        {
            "item": item,
            "bank": item.bank,
            "version": version,
            "current": version.pk == item.current_version_id,
            "display": item_display(version.definition),
            "definition_json": json.dumps(version.definition, indent=2, ensure_ascii=False),
            "info": ITEM_TYPES.get(item.type),
            "tab": tab,
            "can_author": can_author(actor),
            "error": error,
        },
        status=status,
    )


@page
def item_detail(request: HttpRequest, assessment_item_id: int) -> HttpResponse:
    actor = reader(request)
    item = reads.item_with_bank(actor=actor, item_id=assessment_item_id)
    refused = only_read(request)
    if refused:
        return refused
    assert item.current_version is not None
    return _item_page(request, actor, item, item.current_version, tab="item")


@page
def item_versions(request: HttpRequest, assessment_item_id: int) -> HttpResponse:
    actor = reader(request)
    item = reads.item_with_bank(actor=actor, item_id=assessment_item_id)
    refused = only_read(request)
    if refused:
        return refused
    return render(
        request,
        "assessments/authoring/item_versions.html",
        {
            "item": item,
            "bank": item.bank,
            "versions": reads.item_versions(actor=actor, item=item),
            "info": ITEM_TYPES.get(item.type),
            "tab": "versions",
            "can_author": can_author(actor),
        },
    )


@page
def item_version(request: HttpRequest, assessment_item_id: int, number: int) -> HttpResponse:
    actor = reader(request)
    item = reads.item_with_bank(actor=actor, item_id=assessment_item_id)
    version = reads.item_version(actor=actor, item=item, number=number)
    refused = only_read(request)
    if refused:
        return refused
    return _item_page(request, actor, item, version, tab="versions")


@page
@require_http_methods(["GET", "POST"])
def item_revise(request: HttpRequest, assessment_item_id: int) -> HttpResponse:
    actor = author(request)
    item = reads.item_with_bank(actor=actor, item_id=assessment_item_id)
    current = item.current_version
    assert current is not None
    if item.retired_at is not None:
        return _item_page(
            request,
            actor,
            item,
            current,
            tab="item",
            status=409,
            error=DomainError("A retired item cannot be corrected: write a new item instead."),
        )
    if request.method == "GET":
        editor = ItemEditor(item.type, definition=current.definition)
        tags = _tags_form(
            actor,
            None,
            initial={
                "points": current.points,
                "difficulty": current.difficulty,
                "competency_ids": [str(c.pk) for c in current.competencies.all()],
                "product_version_ids": [str(p.pk) for p in current.product_versions.all()],
            },
        )
        return _editor_page(
            request,
            bank=item.bank,
            item=item,
            editor=editor,
            tags=tags,
            note=RevisionNoteForm(),
            display=item_display(current.definition),
        )
    if request.POST.get("more"):
        editor, tags, note, display = _quiet_editor(actor, item.type, request.POST, with_note=True)
        return _editor_page(
            request, bank=item.bank, item=item, editor=editor, tags=tags, note=note, display=display
        )
    editor = ItemEditor(item.type, data=request.POST)
    tags = _tags_form(actor, request.POST)
    note_form = RevisionNoteForm(request.POST)
    display = checked(actor, editor)
    valid = all([tags.is_valid(), note_form.is_valid()])
    if "preview" in request.POST or display is None or not valid:
        return _editor_page(
            request,
            bank=item.bank,
            item=item,
            editor=editor,
            tags=tags,
            note=note_form,
            display=display,
            status=422 if display is None or not valid else 200,
            judged=True,
        )
    try:
        version = services.item_revise(
            actor=actor,
            item=item,
            definition=editor.definition(),
            note=note_form.cleaned_data["note"],
            points=tags.cleaned_data["points"],
            difficulty=tags.cleaned_data["difficulty"],
            competency_ids=[int(pk) for pk in tags.cleaned_data["competency_ids"]],
            product_version_ids=[int(pk) for pk in tags.cleaned_data["product_version_ids"]],
        )
    except DomainError as error:
        _apply(error, editor, tags, note_form)
        return _editor_page(
            request,
            bank=item.bank,
            item=item,
            editor=editor,
            tags=tags,
            note=note_form,
            display=None,
            status=error.status,
            judged=True,
        )
    messages.success(
        request,
        f"Version {version.number} is saved and is now the current version. Attempts that drew "
        "an earlier version keep it.",
    )
    return redirect("web:assessment-item", assessment_item_id=item.pk)


@page
@require_POST
def item_retire(request: HttpRequest, assessment_item_id: int) -> HttpResponse:
    actor = author(request)
    item = reads.item_with_bank(actor=actor, item_id=assessment_item_id)
    try:
        services.item_retire(actor=actor, item=item)
    except DomainError as error:
        assert item.current_version is not None
        return _item_page(
            request, actor, item, item.current_version, tab="item", status=error.status, error=error
        )
    messages.success(
        request,
        "The item is retired: new exams cannot use it. Attempts and exams that hold it keep it.",
    )
    return redirect("web:assessment-item", assessment_item_id=item.pk)
