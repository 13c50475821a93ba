"""Content teams: who owns content (channel, product, marketing...). For content reaching every
partner, one of the two approvals must come from a member of the owning team."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.item_models import CatalogTeam
from cascade.core.errors import Conflict, ValidationFailed
from cascade.identity.models import Membership, Person

MAX_MEMBERS = 200


def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise ValidationFailed.field("name", "Use 1 to 80 characters.", code="invalid_name")
    return name


def _members(actor: Actor, person_ids: Sequence[int]) -> list[Person]:
    """Only the program's own staff (active vendor memberships) can be in a content team."""
    ids = sorted(set(person_ids))
    if len(ids) > MAX_MEMBERS:
        raise ValidationFailed.field(
            "members", f"Use at most {MAX_MEMBERS} members.", code="too_many"
        )
    staff = set(
        Membership.objects.filter(
            person_id__in=ids, organization__isnull=True, status="active"
        ).values_list("person_id", flat=True)
    )
    if staff != set(ids):
        raise ValidationFailed.field(
            "members", "Members must be the program's staff.", code="unknown_reference"
        )
    return list(Person.objects.filter(pk__in=ids))


def _picture(team: CatalogTeam) -> dict[str, object]:
    return {"name": team.name, "members": sorted(team.members.values_list("pk", flat=True))}


@transaction.atomic
def team_create(*, actor: Actor, name: str, member_ids: Sequence[int] = ()) -> CatalogTeam:
    require(actor, Action.CATALOG_AUTHOR)
    members = _members(actor, member_ids)
    try:
        with transaction.atomic():
            team = CatalogTeam.objects.create(tenant=actor.tenant, name=_name(name))
    except IntegrityError as exc:
        raise Conflict("A team with that name exists.", code="duplicate_name") from exc
    team.members.set(members)
    audit_record(actor=actor, action="catalog_team.create", target=team, after=_picture(team))
    return team


@transaction.atomic
def team_update(
    *,
    actor: Actor,
    team: CatalogTeam,
    name: str | None = None,
    member_ids: Sequence[int] | None = None,
) -> CatalogTeam:
    require(actor, Action.CATALOG_AUTHOR)
    team = CatalogTeam.objects.select_for_update().get(pk=team.pk)
    before = _picture(team)
    if name is not None:
        team.name = _name(name)
        try:
            with transaction.atomic():
                team.save()
        except IntegrityError as exc:
            raise Conflict("A team with that name exists.", code="duplicate_name") from exc
    if member_ids is not None:
        team.members.set(_members(actor, member_ids))
    audit_record(
        actor=actor, action="catalog_team.update", target=team, before=before, after=_picture(team)
    )
    return team
