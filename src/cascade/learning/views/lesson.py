"""Progress a learner reports from a lesson page without a video player: they read the article,
opened or downloaded the document, visited the link (or an external video).

A plain form POST that works without JavaScript (it comes back to the lesson with a message);
htmx and the page's script post the same form and get the lesson's progress panel back.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cascade.core.errors import ValidationFailed
from cascade.learning.models import ProgressKind
from cascade.learning.progress import lesson_taken
from cascade.learning.selectors import item_progress
from cascade.web.pages import actor_of, page, problem_page

DONE_MESSAGES = {
    ProgressKind.ARTICLE: "Marked as read.",
    ProgressKind.DOCUMENT: "Marked as done.",
    ProgressKind.LINK: "Marked as done.",
}


@page
@require_POST
def lesson_taken_view(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = actor_of(request)
    kind = request.POST.get("kind", "")
    try:
        lesson_taken(actor=actor, item_id=item_id, kind=kind, locale=request.POST.get("locale", ""))
    except ValidationFailed as error:
        return problem_page(request, error)
    if getattr(request, "htmx", False):
        progress = item_progress(actor=actor, item_id=item_id, child_ids=[])
        return render(
            request, "learning/_lesson_progress.html", {"progress": progress, "item_id": item_id}
        )
    messages.success(request, DONE_MESSAGES.get(ProgressKind(kind), "Marked as done."))
    return redirect("web:catalog-item", item_id=item_id)
