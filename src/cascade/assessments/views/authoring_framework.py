"""The competency framework: domains and their competencies, which items are tagged with and
exams set passing shares for. Authors add domains and competencies on the same page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.assessments import selectors, services
from cascade.assessments.authoring_forms import CompetencyForm, DomainForm
from cascade.assessments.views.authoring_pages import author, can_author, reader, show_error
from cascade.core.errors import DomainError
from cascade.web.pages import page


def _framework_page(
    request: HttpRequest,
    actor: Actor,
    *,
    domain_form: DomainForm | None = None,
    competency_form: CompetencyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    domains = selectors.competency_framework(actor=actor)
    choices = [(str(d.pk), d.name) for d in domains]
    return render(
        request,
        "assessments/authoring/framework.html",
        {
            "domains": domains,
            "can_author": can_author(actor),
            "domain_form": domain_form or DomainForm(prefix="domain"),
            "competency_form": competency_form
            or CompetencyForm(domains=choices, prefix="competency"),
        },
        status=status,
    )


@page
@require_http_methods(["GET"])
def framework(request: HttpRequest) -> HttpResponse:
    return _framework_page(request, reader(request))


@page
@require_POST
def domain_create(request: HttpRequest) -> HttpResponse:
    actor = author(request)
    form = DomainForm(request.POST, prefix="domain")
    if not form.is_valid():
        return _framework_page(request, actor, domain_form=form, status=422)
    try:
        domain = services.competency_domain_create(
            actor=actor,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            position=len(selectors.competency_framework(actor=actor)),
        )
    except DomainError as error:
        show_error(form, error)
        return _framework_page(request, actor, domain_form=form, status=error.status)
    messages.success(request, f"The domain “{domain.name}” is added. Add its competencies next.")
    return redirect("web:assessment-competencies")


@page
@require_POST
def competency_create(request: HttpRequest) -> HttpResponse:
    actor = author(request)
    domains = [(str(d.pk), d.name) for d in selectors.competency_framework(actor=actor)]
    form = CompetencyForm(request.POST, domains=domains, prefix="competency")
    if not form.is_valid():
        return _framework_page(request, actor, competency_form=form, status=422)
    try:
        competency = services.competency_create(
            actor=actor,
            domain_id=int(form.cleaned_data["domain_id"]),
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        )
    except DomainError as error:
        show_error(form, error)
        return _framework_page(request, actor, competency_form=form, status=error.status)
    messages.success(request, f"The competency “{competency.name}” is added.")
    return redirect("web:assessment-competencies")
