"""The competency framework, banks and versioned items: who may write them, what a correction
does to earlier versions, and bad input that writes nothing."""

from __future__ import annotations

import pytest

from cascade.assessments.models import Competency, Item, ItemVersion, QuestionBank
from cascade.assessments.services import (
    bank_create,
    competency_create,
    competency_domain_create,
    item_create,
    item_retire,
    item_revise,
)
from cascade.audit.models import AuditEntry
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.core.scoping import tenant_scope
from tests.conftest import World

SINGLE = {
    "type": "single_choice",
    "prompt": "Which port does the management plane listen on?",
    "options": [
        {"id": "a", "text": "443", "correct": True},
        {"id": "b", "text": "80"},
    ],
}


def _framework(world: World) -> tuple[QuestionBank, Competency]:
    author = world.actor("author")
    domain = competency_domain_create(actor=author, name="Deployment")
    competency = competency_create(actor=author, domain_id=domain.pk, name="Firewall install")
    return bank_create(actor=author, name="Firewall basics"), competency


def test_an_item_starts_at_version_one_with_its_tags(authors: World) -> None:
    # given
    bank, competency = _framework(authors)
    # when
    item = item_create(
        actor=authors.actor("author"),
        bank_id=bank.pk,
        definition=SINGLE,
        points="2.5",
        difficulty=1,
        competency_ids=[competency.pk],
    )
    # then
    version = item.current_version
    assert version is not None
    assert (item.type, version.number, str(version.points), version.difficulty) == (
        "single_choice",
        1,
        "2.50",
        1,
    )
    assert [c.name for c in version.competencies.all()] == ["Firewall install"]
    # stored with the defaults filled in, as validated
    assert version.definition["shuffle"] is True
    assert version.definition["options"][1]["correct"] is False
    assert AuditEntry.objects.filter(action="item.create", target_id=str(item.pk)).count() == 1


def test_a_correction_is_a_new_version_and_leaves_the_old_one_as_it_was(authors: World) -> None:
    # given
    bank, competency = _framework(authors)
    author = authors.actor("author")
    item = item_create(
        actor=author, bank_id=bank.pk, definition=SINGLE, competency_ids=[competency.pk]
    )
    corrected = {
        **SINGLE,
        "options": [{"id": "a", "text": "443"}, {"id": "b", "text": "80", "correct": True}],
    }
    # when
    second = item_revise(actor=author, item=item, definition=corrected, note="Key was wrong")
    # then
    item.refresh_from_db()
    first = ItemVersion.objects.get(item=item, number=1)
    assert (second.number, item.current_version_id) == (2, second.pk)
    assert first.definition["options"][0]["correct"] is True  # untouched
    assert second.definition["options"][1]["correct"] is True
    # what was not given is kept
    assert [c.pk for c in second.competencies.all()] == [competency.pk]
    entry = AuditEntry.objects.get(action="item.revise")
    assert (entry.before["version"], entry.after["version"], entry.after["note"]) == (
        1,
        2,
        "Key was wrong",
    )


def test_a_correction_keeps_the_type_and_says_why(authors: World) -> None:
    bank, _ = _framework(authors)
    author = authors.actor("author")
    item = item_create(actor=author, bank_id=bank.pk, definition=SINGLE)
    true_false = {"type": "true_false", "prompt": "Port 443?", "statement_is_true": True}
    with pytest.raises(ValidationFailed) as changed:
        item_revise(actor=author, item=item, definition=true_false, note="Simpler")
    with pytest.raises(ValidationFailed) as silent:
        item_revise(actor=author, item=item, definition=SINGLE, note="  ")
    assert (changed.value.code, silent.value.code) == ("type_changed", "required")
    assert ItemVersion.objects.filter(item=item).count() == 1


def test_an_invalid_definition_is_explained_field_by_field_and_writes_nothing(
    authors: World,
) -> None:
    bank, _ = _framework(authors)
    broken = {**SINGLE, "options": [{"id": "a", "text": "443"}, {"id": "a", "text": "80"}]}
    with pytest.raises(ValidationFailed) as error:
        item_create(actor=authors.actor("author"), bank_id=bank.pk, definition=broken)
    assert error.value.code == "invalid_definition"
    assert error.value.details == [
        {
            "field": "definition",
            "message": "Option identifiers must be unique.",
        }
    ]
    assert Item.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"points": 0}, "points"),
        ({"points": "lots"}, "points"),
        ({"difficulty": 7}, "difficulty"),
        ({"competency_ids": [999_999]}, "competency_ids"),
        ({"bank_id": 999_999}, "bank_id"),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(
    authors: World, changes: dict[str, object], field: str
) -> None:
    bank, _ = _framework(authors)
    arguments: dict[str, object] = {"bank_id": bank.pk, "definition": SINGLE, **changes}
    with pytest.raises(ValidationFailed) as error:
        item_create(actor=authors.actor("author"), **arguments)  # type: ignore[arg-type]
    assert error.value.details[0]["field"] == field
    assert (Item.objects.count(), ItemVersion.objects.count()) == (0, 0)


def test_only_content_authors_write_assessments(authors: World) -> None:
    bank, _ = _framework(authors)
    for name in ("reviewer", "learner", "partner_admin"):
        with pytest.raises(PermissionDenied):
            item_create(actor=authors.actor(name), bank_id=bank.pk, definition=SINGLE)
    assert Item.objects.count() == 0


def test_names_are_unique_in_a_tenant(authors: World) -> None:
    _framework(authors)
    with pytest.raises(Conflict):
        bank_create(actor=authors.actor("author"), name="Firewall basics")


def test_another_tenants_bank_is_unknown(authors: World) -> None:
    with tenant_scope(authors.other_tenant):
        theirs = bank_create(actor=authors.actor("b_admin"), name="Contoso bank")
    with pytest.raises(ValidationFailed) as error:
        item_create(actor=authors.actor("author"), bank_id=theirs.pk, definition=SINGLE)
    assert error.value.code == "unknown_reference"


def test_a_retired_item_is_not_corrected(authors: World) -> None:
    bank, _ = _framework(authors)
    author = authors.actor("author")
    item = item_retire(
        actor=author, item=item_create(actor=author, bank_id=bank.pk, definition=SINGLE)
    )
    with pytest.raises(Conflict):
        item_revise(actor=author, item=item, definition=SINGLE, note="Again")
