"""Item versions' definitions, parsed once per process; and when what was read may be kept.

A version never changes once written (a correction is a new version), so its parsed definition
can be kept for the life of the process: taking an exam (starting, saving each answer, scoring)
parses each item once rather than on every request.

Only what is committed for good is kept. Inside a transaction that encloses the caller's (a
seed writing a whole program, a test), rows may have been written by that same transaction,
and rolling it back hands their ids to other rows later (SQLite reuses them): nothing read
there is kept.
"""

from __future__ import annotations

from django.db import connection

from cascade.assessments.items import ItemDefinition, item_definition
from cascade.assessments.models import ItemVersion

_KEPT: dict[tuple[int, int], ItemDefinition] = {}
_MOST = 5_000


def committed_for_good() -> bool:
    """Whether rows read now were committed by earlier transactions: the caller is not inside a
    transaction that encloses its own (whose savepoints would be listed)."""
    return not connection.savepoint_ids


def definition_of(tenant_id: int, version_id: int) -> ItemDefinition:
    """An item version's definition. The tenant is part of the key and of the query: a version
    is read only in its own program."""
    key = (tenant_id, version_id)
    kept = _KEPT.get(key)
    if kept is not None:
        return kept
    definition = item_definition(
        ItemVersion.objects.filter(pk=version_id, tenant_id=tenant_id).values_list(
            "definition", flat=True
        )[0]
    )
    if committed_for_good():
        if len(_KEPT) >= _MOST:
            _KEPT.clear()  # rare: a program with thousands of items in use; read them again
        _KEPT[key] = definition
    return definition


def definitions_forget() -> None:
    _KEPT.clear()
