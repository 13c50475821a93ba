"""`field__any_of=[...]`: membership in a long list of integers, as one parameter.

`field__in=[...]` sends one parameter per value. Django prepares each and psycopg quotes each
on the client, so a list of a few hundred ids (the audiences admitting a viewer, the candidates
of a home page section) costs milliseconds of CPU per query before the database sees it.
PostgreSQL takes the whole list as one array (`field = ANY(%s)`), which it plans exactly as it
plans `IN (...)`. Other databases get the plain `IN` list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup[Any]):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        if not isinstance(self.rhs, Iterable) or isinstance(self.rhs, str | bytes):
            raise TypeError("any_of takes a list of integers.")
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values: list[int] = self.rhs
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, values]
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *values]


def register() -> None:
    """Make the lookup available on every field (done once, when the core app is ready)."""
    Field.register_lookup(AnyOf)
    # Relations keep lookups of their own: the lookup compares the relation's column.
    ForeignObject.register_lookup(AnyOf)
