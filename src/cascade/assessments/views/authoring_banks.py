"""Question banks: the list with their item counts, creating one, and a bank's page listing its
items (filtered by type, competency, difficulty; live or retired), a page at a time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cascade.assessments import authoring_selectors as reads
from cascade.assessments.authoring_forms import BankForm, BankItemFilterForm
from cascade.assessments.services import bank_create as create_bank
from cascade.assessments.views.authoring_pages import (
    author,
    can_author,
    item_rows,
    only_read,
    reader,
    show_error,
)
from cascade.core.errors import DomainError
from cascade.core.pagination import keyset_page
from cascade.web.pages import page, parse_int

BANKS_PAGE_SIZE = 50
ITEMS_PAGE_SIZE = 25
NEWEST_FIRST = ("-created_at", "-pk")


@page
@require_http_methods(["GET"])
def bank_list(request: HttpRequest) -> HttpResponse:
    actor = reader(request)
    banks = keyset_page(
        reads.bank_rows(actor=actor),
        ordering=("name", "pk"),
        cursor=request.GET.get("cursor") or None,
        limit=BANKS_PAGE_SIZE,
    )
    return render(
        request,
        "assessments/authoring/banks.html",
        {
            "banks": banks.items,
            "next_cursor": banks.next_cursor,
            "appending": bool(request.GET.get("cursor")),
            "can_author": can_author(actor),
        },
    )


@page
@require_http_methods(["GET", "POST"])
def bank_create(request: HttpRequest) -> HttpResponse:
    actor = author(request)
    form = BankForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                bank = create_bank(
                    actor=actor,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except DomainError as error:
                show_error(form, error)
                status = error.status
            else:
                messages.success(request, f"The bank “{bank.name}” is created. Add its items.")
                return redirect("web:assessment-bank", bank_id=bank.pk)
        else:
            status = 422
    return render(request, "assessments/authoring/bank_create.html", {"form": form}, status=status)


@page
def bank_detail(request: HttpRequest, bank_id: int) -> HttpResponse:
    actor = reader(request)
    bank = reads.bank_get(actor=actor, bank_id=bank_id)
    refused = only_read(request)
    if refused:
        return refused
    form = BankItemFilterForm(
        request.GET or None, competencies=reads.competency_choices(actor=actor)
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    items = keyset_page(
        reads.bank_items(
            actor=actor,
            bank_id=bank.pk,
            type=data.get("type") or None,
            competency_id=parse_int(data.get("competency")),
            difficulty=parse_int(data.get("difficulty")),
            retired=data.get("status") == "retired",
        ),
        ordering=NEWEST_FIRST,
        cursor=request.GET.get("cursor") or None,
        limit=ITEMS_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "bank": bank,
        "form": form,
        "items": item_rows(items.items),
        "next_cursor": items.next_cursor,
        "query": query.urlencode(),
        "appending": bool(request.GET.get("cursor")),
        "filtered": any(data.get(name) for name in ("type", "competency", "difficulty")),
        "retired": data.get("status") == "retired",
        "can_author": can_author(actor),
    }
    if getattr(request, "htmx", False):
        template = (
            "assessments/authoring/_bank_item_rows.html"
            if context["appending"]
            else "assessments/authoring/_bank_items.html"
        )
        return render(request, template, context)
    return render(request, "assessments/authoring/bank.html", context)
