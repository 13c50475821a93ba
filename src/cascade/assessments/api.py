"""Assessments over the REST API: the competency framework, question banks and versioned items.

Content authors (and tokens with `assessments:write`) write; authors and reviewers (and tokens
with `assessments:read`) read, answer keys included. Learners never reach these endpoints: what
they are sent of an item is its public part, through the exam player.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cascade.api.auth import actor_of
from cascade.assessments import selectors, services
from cascade.assessments.schemas import (
    AssessmentItemCreateIn,
    AssessmentItemDetailOut,
    AssessmentItemId,
    AssessmentItemOut,
    AssessmentItemPageOut,
    AssessmentItemQuery,
    AssessmentItemReviseIn,
    CompetencyDomainIn,
    CompetencyDomainOut,
    CompetencyFrameworkOut,
    CompetencyIn,
    CompetencyOut,
    ItemPreviewIn,
    ItemPreviewOut,
    ItemVersionOut,
    QuestionBankIn,
    QuestionBankOut,
    QuestionBankPageOut,
    QuestionBankQuery,
    VersionNumber,
)
from cascade.catalog.schemas import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from cascade.core.pagination import keyset_page

router = Router(tags=["assessments"])


def _competencies(domain: Any) -> list[dict[str, Any]]:
    return [
        {"id": c.pk, "name": c.name, "description": c.description, "retired": c.retired}
        for c in domain.competencies.all()
    ]


def _domain_out(domain: Any) -> dict[str, Any]:
    return {
        "id": domain.pk,
        "name": domain.name,
        "description": domain.description,
        "position": domain.position,
        "competencies": _competencies(domain),
    }


@router.get(
    "/assessments/competencies",
    response={200: CompetencyFrameworkOut, **LIST_ERRORS},
    summary="The competency framework",
    description="Every domain with its competencies, in order.",
)
def get_framework(request: HttpRequest) -> Any:
    domains = selectors.competency_framework(actor=actor_of(request))
    return {"domains": [_domain_out(d) for d in domains]}


@router.post(
    "/assessments/competency-domains",
    response={201: CompetencyDomainOut, **WRITE_ERRORS},
    summary="Add a competency domain",
    description="409 `duplicate_name` for a name taken.",
)
def create_domain(request: HttpRequest, payload: CompetencyDomainIn) -> Any:
    domain = services.competency_domain_create(
        actor=actor_of(request),
        name=payload.name,
        description=payload.description,
        position=payload.position,
    )
    return Status(201, _domain_out(domain))


@router.post(
    "/assessments/competencies",
    response={201: CompetencyOut, **WRITE_ERRORS},
    summary="Add a competency to a domain",
    description="422 `unknown_reference` for an unknown domain, 409 `duplicate_name`.",
)
def create_competency(request: HttpRequest, payload: CompetencyIn) -> Any:
    competency = services.competency_create(
        actor=actor_of(request),
        domain_id=payload.domain_id,
        name=payload.name,
        description=payload.description,
    )
    return Status(
        201,
        {
            "id": competency.pk,
            "name": competency.name,
            "description": competency.description,
            "retired": competency.retired,
        },
    )


def _bank_out(bank: Any, items: int) -> dict[str, Any]:
    return {
        "id": bank.pk,
        "name": bank.name,
        "description": bank.description,
        "items": items,
        "created_at": bank.created_at,
    }


@router.get(
    "/assessments/banks",
    response={200: QuestionBankPageOut, **LIST_ERRORS},
    summary="List question banks by name",
)
def list_banks(request: HttpRequest, query: Query[QuestionBankQuery]) -> Any:
    banks = selectors.bank_list(actor=actor_of(request))
    page = keyset_page(banks, ordering=("name", "pk"), cursor=query.cursor, limit=query.limit)
    return {
        "items": [_bank_out(b, b.item_count) for b in page.items],  # type: ignore[attr-defined]
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/assessments/banks",
    response={201: QuestionBankOut, **WRITE_ERRORS},
    summary="Create a question bank",
    description="409 `duplicate_name` for a name taken.",
)
def create_bank(request: HttpRequest, payload: QuestionBankIn) -> Any:
    bank = services.bank_create(
        actor=actor_of(request), name=payload.name, description=payload.description
    )
    return Status(201, _bank_out(bank, 0))


@router.get(
    "/assessments/items",
    response={200: AssessmentItemPageOut, **LIST_ERRORS},
    summary="List items, newest first",
    description=(
        "With their current version (definition and answer key included). Filters apply to "
        "the current version: `competency_id`, `difficulty`; and to the item: `bank_id`, "
        "`type`, `retired`."
    ),
)
def list_items(request: HttpRequest, query: Query[AssessmentItemQuery]) -> Any:
    items = selectors.item_list(
        actor=actor_of(request),
        bank_id=query.bank_id,
        type=query.type,
        competency_id=query.competency_id,
        difficulty=query.difficulty,
        retired=query.retired,
    )
    page = keyset_page(
        selectors.with_current_version(items),
        ordering=("-created_at", "-pk"),
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": [selectors.item_out(i) for i in page.items], "next_cursor": page.next_cursor}


def _item_detail(request: HttpRequest, item_id: int) -> dict[str, Any]:
    item = selectors.item_get(actor=actor_of(request), item_id=item_id)
    versions = item.versions.order_by("-number").values("number", "note", "created_at")
    return {**selectors.item_out(item), "versions": list(versions)}


@router.post(
    "/assessments/items",
    response={201: AssessmentItemDetailOut, **WRITE_ERRORS},
    summary="Create an item (version 1)",
    description=(
        "`definition` is the item's JSON, by `type`: single_choice, multiple_response, "
        "true_false, numeric, short_text, ordering, matching, scenario, configuration, "
        "evidence. 422 `invalid_definition` lists each error with where it is "
        "(`definition.options.1.text`); 422 `unknown_reference` for an unknown bank, "
        "competency or product version."
    ),
)
def create_item(request: HttpRequest, payload: AssessmentItemCreateIn) -> Any:
    item = services.item_create(
        actor=actor_of(request),
        bank_id=payload.bank_id,
        definition=payload.definition,
        points=payload.points,
        difficulty=payload.difficulty,
        competency_ids=payload.competency_ids,
        product_version_ids=payload.product_version_ids,
    )
    return Status(201, _item_detail(request, item.pk))


@router.get(
    "/assessments/items/{assessment_item_id}",
    response={200: AssessmentItemDetailOut, **READ_ERRORS},
    summary="Get an item with its versions",
)
def get_item(request: HttpRequest, assessment_item_id: AssessmentItemId) -> Any:
    return _item_detail(request, assessment_item_id)


@router.get(
    "/assessments/items/{assessment_item_id}/versions/{version_number}",
    response={200: ItemVersionOut, **READ_ERRORS},
    summary="Get one version of an item",
    description="The version an attempt saw stays readable after corrections.",
)
def get_item_version(
    request: HttpRequest, assessment_item_id: AssessmentItemId, version_number: VersionNumber
) -> Any:
    version = selectors.item_version_get(
        actor=actor_of(request), item_id=assessment_item_id, number=version_number
    )
    return selectors.version_out(version)


@router.post(
    "/assessments/items/{assessment_item_id}/versions",
    response={201: AssessmentItemDetailOut, **WRITE_ERRORS},
    summary="Correct an item (a new version)",
    description=(
        "The new version becomes current; earlier versions stay as attempts saw them. Tags "
        "not given are kept. 422 `type_changed` when the definition's type differs, 409 "
        "`retired` for a retired item."
    ),
)
def revise_item(
    request: HttpRequest, assessment_item_id: AssessmentItemId, payload: AssessmentItemReviseIn
) -> Any:
    actor = actor_of(request)
    item = selectors.item_get(actor=actor, item_id=assessment_item_id)
    services.item_revise(
        actor=actor,
        item=item,
        definition=payload.definition,
        note=payload.note,
        points=payload.points,
        difficulty=payload.difficulty,
        competency_ids=payload.competency_ids,
        product_version_ids=payload.product_version_ids,
    )
    return Status(201, _item_detail(request, assessment_item_id))


@router.post(
    "/assessments/items/{assessment_item_id}/retire",
    response={200: AssessmentItemOut, **WRITE_ERRORS},
    summary="Retire an item",
    description="New exams no longer draw it; attempts that hold it keep it.",
)
def retire_item(request: HttpRequest, assessment_item_id: AssessmentItemId) -> Any:
    actor = actor_of(request)
    services.item_retire(
        actor=actor, item=selectors.item_get(actor=actor, item_id=assessment_item_id)
    )
    return selectors.item_out(selectors.item_get(actor=actor, item_id=assessment_item_id))


@router.post(
    "/assessments/item-preview",
    response={200: ItemPreviewOut, **WRITE_ERRORS},
    summary="Preview a definition, and score a sample response",
    description=(
        "Validates a definition without saving it and returns what a learner would be sent; "
        "with `response`, also how it scores. For authoring tools' live preview."
    ),
)
def preview_item(request: HttpRequest, payload: ItemPreviewIn) -> Any:
    public, scored = services.item_preview(
        actor=actor_of(request), definition=payload.definition, response=payload.response
    )
    return {
        "public": public,
        "scored": None
        if scored is None
        else {"fraction": scored.fraction, "feedback": scored.feedback},
    }
