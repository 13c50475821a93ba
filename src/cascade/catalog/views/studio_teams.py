"""Content teams: the list with who is in each, and a form to name and staff a team. Every item
has an owner team; content for every partner needs an approval from one of its members."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.catalog.item_models import CatalogTeam
from cascade.catalog.teams import team_create, team_update
from cascade.catalog.views.studio_pages import studio_actor
from cascade.core.errors import DomainError, NotFound
from cascade.identity.models import Membership, Person
from cascade.web.pages import form_error, page


class TeamForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="For example Channel, Product or Marketing.")
    members = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The program's staff in this team. For content reaching every partner, one "
        "approval must come from a member of the owning team.",
    )

    def __init__(self, *args: object, staff: list[Person], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        members = self.fields["members"]
        assert isinstance(members, forms.MultipleChoiceField)
        members.choices = [(str(p.pk), f"{p.full_name} ({p.email})") for p in staff]


def _staff() -> list[Person]:
    """The program's own people (active vendor memberships), by name."""
    staff = Membership.objects.filter(organization__isnull=True, status="active").values(
        "person_id"
    )
    return list(Person.objects.filter(pk__in=staff).order_by("full_name", "pk"))


def _team(team_id: int) -> CatalogTeam:
    team = CatalogTeam.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.", code="team_not_found")
    return team


@page
@require_http_methods(["GET"])
def studio_teams(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    teams = (
        CatalogTeam.objects.annotate(item_count=Count("items", distinct=True))
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("full_name")))
        .order_by("name", "pk")
    )
    return render(
        request,
        "catalog/studio/teams.html",
        {"teams": teams, "can_edit": can(actor, Action.CATALOG_AUTHOR)},
    )


def _team_form_page(request: HttpRequest, actor: Actor, team: CatalogTeam | None) -> HttpResponse:
    staff = _staff()
    initial = (
        {
            "name": team.name,
            "members": [str(pk) for pk in team.members.values_list("pk", flat=True)],
        }
        if team
        else {}
    )
    form = TeamForm(
        request.POST if request.method == "POST" else None, initial=initial, staff=staff
    )
    status = 200
    if request.method == "POST":
        require(actor, Action.CATALOG_AUTHOR)
        if form.is_valid():
            member_ids = [int(pk) for pk in form.cleaned_data["members"]]
            try:
                if team is None:
                    saved = team_create(
                        actor=actor, name=form.cleaned_data["name"], member_ids=member_ids
                    )
                else:
                    saved = team_update(
                        actor=actor,
                        team=team,
                        name=form.cleaned_data["name"],
                        member_ids=member_ids,
                    )
            except DomainError as error:
                form_error(form, error, {"member_ids": "members"})
                status = error.status
            else:
                messages.success(request, f"The team “{saved.name}” is saved.")
                return redirect("web:studio-teams")
        else:
            status = 422
    return render(
        request,
        "catalog/studio/team_form.html",
        {"form": form, "team": team, "can_edit": can(actor, Action.CATALOG_AUTHOR)},
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def studio_team_create(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    require(actor, Action.CATALOG_AUTHOR)
    return _team_form_page(request, actor, None)


@page
@require_http_methods(["GET", "POST"])
def studio_team(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = studio_actor(request)
    return _team_form_page(request, actor, _team(team_id))
