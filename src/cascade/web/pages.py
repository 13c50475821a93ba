"""What every page view shares: who is asking, and how domain errors become readable pages.

A page view is wrapped in `page`: anonymous visitors go to the sign-in form, `NotFound` becomes the
404 page (other tenants' objects and objects the actor may not know about), `PermissionDenied` the
403 page, and any other `DomainError` a page that says what went wrong with its status. Form views
catch `DomainError` themselves and show it beside the field it concerns (`form_error`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cascade.access.actor import Actor
from cascade.core.errors import DomainError, NotFound, PermissionDenied
from cascade.tenancy.models import Tenant

# Pages may stream (a file), so any response will do.
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def actor_of(request: HttpRequest) -> Actor:
    """The actor the middleware resolved for this request (a lazy object until first used)."""
    return cast(Actor, request.actor)  # type: ignore[attr-defined]


def tenant_of(request: HttpRequest) -> Tenant:
    """The tenant the middleware resolved from the host (pages only run when there is one)."""
    return cast(Tenant, request.tenant)  # type: ignore[attr-defined]


def problem_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    forbidden = isinstance(error, PermissionDenied)
    template = "web/forbidden.html" if forbidden else "web/problem.html"
    return render(request, template, {"error": error}, status=error.status)


def page(view: View) -> View:
    """A page for signed-in people. Domain errors never escape as a server error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:sign-in"))
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except DomainError as error:
            return problem_page(request, error)

    return cast(View, wrapper)


def form_error(
    form: forms.Form, error: DomainError, field_names: dict[str, str] | None = None
) -> None:
    """Show a domain error on the form: beside the field it names, else above the form.

    Services name fields as the API does (`parent_id`); `field_names` maps those to form fields
    where they differ.
    """
    field_names = field_names or {}
    fields = [
        (field_names.get(str(detail.get("field")), str(detail.get("field"))), detail)
        for detail in error.details
        if detail.get("field")
    ]
    known = [(name, detail) for name, detail in fields if name in form.fields]
    if len(known) == 1 and len(error.details) == 1:
        form.add_error(known[0][0], error.message)
    elif known:
        for name, detail in known:
            form.add_error(name, str(detail.get("message") or error.message))
    else:
        form.add_error(None, error.message)


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address from the form or query, if it stays on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def act(
    request: HttpRequest,
    change: Callable[[], object],
    *,
    success: str,
    redirect_to: str,
) -> HttpResponse:
    """Run a one-click change (approve, revoke...) and come back with a message either way."""
    try:
        change()
    except NotFound as error:
        raise Http404(error.message) from error
    except PermissionDenied as error:
        return problem_page(request, error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(safe_next(request, redirect_to))


def parse_int(value: str | None) -> int | None:
    """An id from a query string; anything else is treated as absent."""
    if value is None or not value.strip().isdigit() or len(value.strip()) > 18:
        return None
    return int(value)


def choices_with_blank(
    choices: Iterable[tuple[Any, str]], blank: str = "Any"
) -> list[tuple[Any, str]]:
    return [("", blank), *choices]
