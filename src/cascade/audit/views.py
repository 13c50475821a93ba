"""The audit log page: every administrative change with its before and after (program admins)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cascade.audit.selectors import audit_entry_list
from cascade.core.pagination import keyset_page
from cascade.web.pages import actor_of, page

PAGE_SIZE = 50
NEWEST_FIRST = ("-id",)


@page
def audit_log(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    action = (request.GET.get("action") or "").strip()[:80]
    target_type = (request.GET.get("target_type") or "").strip()[:80]
    entries = keyset_page(
        audit_entry_list(actor=actor, action=action or None, target_type=target_type or None),
        ordering=NEWEST_FIRST,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "audit/audit_log.html",
        {
            "entries": entries,
            "action": action,
            "target_type": target_type,
            "query": query.urlencode(),
        },
    )
