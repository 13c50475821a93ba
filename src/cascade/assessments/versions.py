"""Item versions' definitions, parsed once per process.

A version never changes once written (a correction is a new version), so its parsed definition
can be kept for the life of the process: taking an exam (starting, saving each answer, scoring)
parses each item once rather than on every request.
"""

from __future__ import annotations

from functools import lru_cache

from cascade.assessments.items import ItemDefinition, item_definition
from cascade.assessments.models import ItemVersion


@lru_cache(maxsize=2_000)
def definition_of(tenant_id: int, version_id: int) -> ItemDefinition:
    """An item version's definition. The tenant is part of the key and of the query: a version
    is read only in its own program."""
    definition = ItemVersion.objects.filter(pk=version_id, tenant_id=tenant_id).values_list(
        "definition", flat=True
    )[0]
    return item_definition(definition)
