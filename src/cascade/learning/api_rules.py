"""The vendor's assignment rules over the REST API (mounted by `cascade.learning.api`): any
vendor staff member (or a token with `learning:read`) reads them; program admins and
integrations with `learning:write` create, apply, stop and restart them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router, Status

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.api.auth import actor_of
from cascade.catalog.models import Audience
from cascade.catalog.schemas import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from cascade.core.errors import NotFound, ValidationFailed
from cascade.core.pagination import keyset_page
from cascade.learning import rules as rule_services
from cascade.learning.models import AssignmentRule, Enrollment
from cascade.learning.schemas import (
    AssignmentRuleAppliedOut,
    AssignmentRuleCreateIn,
    AssignmentRuleOut,
    AssignmentRulePageOut,
    AssignmentRuleQuery,
    RuleId,
)

# Tagged "learning" by the router that mounts it (cascade.learning.api).
router = Router()

BY_NAME = ("name", "pk")


_RULE_FIELDS = (
    "id",
    "name",
    "audience_id",
    "audience__name",
    "item_id",
    "required",
    "due_days",
    "due_from",
    "active",
    "created_by_id",
    "created_by__email",
    "created_by__full_name",
    "created_at",
    "last_applied_at",
)


def _rule_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rules with how many enrollments each gave, counted for the whole page in one query."""
    assigned = dict(
        Enrollment.objects.filter(rule_id__in=[row["id"] for row in rows])
        .values("rule_id")
        .annotate(count=Count("id"))
        .values_list("rule_id", "count")
    )
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "audience": {"id": row["audience_id"], "name": row["audience__name"]},
            "item_id": row["item_id"],
            "required": row["required"],
            "due_days": row["due_days"],
            "due_from": row["due_from"],
            "active": row["active"],
            "assigned": assigned.get(row["id"], 0),
            "created_by": None
            if row["created_by_id"] is None
            else {
                "id": row["created_by_id"],
                "email": row["created_by__email"],
                "full_name": row["created_by__full_name"],
            },
            "created_at": row["created_at"],
            "last_applied_at": row["last_applied_at"],
        }
        for row in rows
    ]


def rules_reader(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    require(actor, Action.LEARNING_RULES_VIEW)
    return actor


def rules_manager(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    require(actor, Action.LEARNING_RULES_MANAGE)
    return actor


def _rule(rule_id: int) -> AssignmentRule:
    rule = AssignmentRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("No such assignment rule.", code="rule_not_found")
    return rule


def _rule_out(rule_id: int) -> dict[str, Any]:
    return _rule_rows(list(AssignmentRule.objects.filter(pk=rule_id).values(*_RULE_FIELDS)))[0]


@router.get(
    "/learning/rules",
    response={200: AssignmentRulePageOut, **LIST_ERRORS},
    summary="List assignment rules by name",
    description="Vendor staff (and integration tokens with `learning:read`) read the rules.",
)
def list_rules(request: HttpRequest, query: Query[AssignmentRuleQuery]) -> Any:
    rules_reader(request)
    rules = AssignmentRule.objects.all()
    if query.active is not None:
        rules = rules.filter(active=query.active)
    if query.item_id is not None:
        rules = rules.filter(item_id=query.item_id)
    page = keyset_page(
        rules.values(*_RULE_FIELDS), ordering=BY_NAME, cursor=query.cursor, limit=query.limit
    )
    return {"items": _rule_rows(page.items), "next_cursor": page.next_cursor}


@router.post(
    "/learning/rules",
    response={201: AssignmentRuleAppliedOut, **WRITE_ERRORS},
    summary="Create an assignment rule (applied at once)",
    description=(
        "Everyone in the audience gets the item, now and whenever someone comes to match "
        "later (a new person, a change of tier, region or role, on the daily sweep), once per "
        "person. Program admins and integration tokens with `learning:write`. 422 "
        "`unknown_reference` for an unknown audience or an item that is not published, 409 "
        "`duplicate_name` for a name taken."
    ),
)
def create_rule(request: HttpRequest, payload: AssignmentRuleCreateIn) -> Any:
    actor = rules_manager(request)
    audience = Audience.objects.filter(pk=payload.audience_id).first()
    if audience is None:
        raise ValidationFailed.field("audience_id", "Unknown audience.", code="unknown_reference")
    rule = rule_services.rule_create(
        actor=actor,
        name=payload.name,
        audience=audience,
        item_id=payload.item_id,
        required=payload.required,
        due_days=payload.due_days,
        due_from=payload.due_from,
    )
    out = _rule_out(rule.pk)
    return Status(201, {"rule": out, "assigned_now": out["assigned"]})


@router.get(
    "/learning/rules/{rule_id}",
    response={200: AssignmentRuleOut, **READ_ERRORS},
    summary="Get an assignment rule",
)
def get_rule(request: HttpRequest, rule_id: RuleId) -> Any:
    rules_reader(request)
    return _rule_out(_rule(rule_id).pk)


@router.post(
    "/learning/rules/{rule_id}/apply",
    response={200: AssignmentRuleAppliedOut, **WRITE_ERRORS},
    summary="Apply an assignment rule now",
    description=(
        "Assigns the item to everyone in the audience who never had it from this rule and has "
        "no open enrollment in it, without waiting for the daily sweep. 409 `rule_inactive` for "
        "a stopped rule."
    ),
)
def apply_rule(request: HttpRequest, rule_id: RuleId) -> Any:
    actor = rules_manager(request)
    assigned = rule_services.rule_apply_now(actor=actor, rule=_rule(rule_id))
    return {"rule": _rule_out(rule_id), "assigned_now": assigned}


@router.post(
    "/learning/rules/{rule_id}/deactivate",
    response={200: AssignmentRuleOut, **WRITE_ERRORS},
    summary="Stop an assignment rule",
    description="It assigns nobody any more; what it assigned stays assigned.",
)
def deactivate_rule(request: HttpRequest, rule_id: RuleId) -> Any:
    actor = rules_manager(request)
    rule_services.rule_set_active(actor=actor, rule=_rule(rule_id), active=False)
    return _rule_out(rule_id)


@router.post(
    "/learning/rules/{rule_id}/activate",
    response={200: AssignmentRuleOut, **WRITE_ERRORS},
    summary="Start a stopped assignment rule again (applied at once)",
)
def activate_rule(request: HttpRequest, rule_id: RuleId) -> Any:
    actor = rules_manager(request)
    rule_services.rule_set_active(actor=actor, rule=_rule(rule_id), active=True)
    return _rule_out(rule_id)
