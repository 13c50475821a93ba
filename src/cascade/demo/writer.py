"""Writing generated rows fast: ids reserved up front, rows sent in batches.

Rows get their primary keys before they are written, so a generator can link a membership to its
person and an organization to its parent (and compute the materialized path) without reading
anything back. On PostgreSQL the ids come from the table's own sequence (safe alongside other
writers) and rows go through COPY; elsewhere the next ids follow the table's largest one (the
seed holds the write lock of its transaction on SQLite) and rows go through bulk_create.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

COPY_BATCH = 50_000
BULK_BATCH = 2_000


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


class IdAllocator:
    """Hands out primary keys for `model`, reserving them in blocks."""

    def __init__(self, model: type[Model], block: int = 10_000) -> None:
        self.table = model._meta.db_table
        self.block = block
        self._ids: list[int] = []
        self._position = 0
        self._next_local: int | None = None

    def take(self) -> int:
        if self._position >= len(self._ids):
            self._ids = self._reserve(self.block)
            self._position = 0
        value = self._ids[self._position]
        self._position += 1
        return value

    def take_many(self, count: int) -> list[int]:
        return [self.take() for _ in range(count)]

    def _reserve(self, count: int) -> list[int]:
        quoted = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [quoted, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if self._next_local is None:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
                largest = int(cursor.fetchone()[0])
                if connection.vendor == "sqlite":
                    # AUTOINCREMENT never reuses an id, even one whose row was deleted.
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                    row = cursor.fetchone()
                    largest = max(largest, int(row[0]) if row else 0)
                self._next_local = largest + 1
            start = self._next_local
            self._next_local += count
            return list(range(start, start + count))


class RowSink:
    """Collects rows (tuples in `fields` order, primary key included) and writes them in batches.

    Sinks listed in `after` are flushed first, so rows referring to theirs never arrive before
    them.
    """

    def __init__(
        self,
        model: type[Model],
        fields: Sequence[str],
        *,
        label: str,
        after: Sequence[RowSink] = (),
        on_flush: Callable[[RowSink], None] | None = None,
    ) -> None:
        self.model = model
        self.label = label
        self.fields = tuple(fields)
        self.after = tuple(after)
        self.on_flush = on_flush
        self.copy = uses_copy()
        self.batch = COPY_BATCH if self.copy else BULK_BATCH
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.seconds = 0.0

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        for earlier in self.after:
            earlier.flush()
        if not self.rows:
            return
        started = time.perf_counter()
        if self.copy:
            self._copy()
        else:
            self._bulk_create()
        self.seconds += time.perf_counter() - started
        self.written += len(self.rows)
        self.rows = []
        if self.on_flush is not None:
            self.on_flush(self)

    def _field(self, name: str) -> Field[Any, Any]:
        found = self.model._meta.get_field(name)
        assert isinstance(found, Field)
        return found

    def _copy(self) -> None:
        meta = self.model._meta
        columns = ", ".join(
            connection.ops.quote_name(str(self._field(name).column)) for name in self.fields
        )
        table = connection.ops.quote_name(meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in self.rows:
                copy.write_row(row)

    def _bulk_create(self) -> None:
        attnames = [self._field(name).attname for name in self.fields]
        objects = [self.model(**dict(zip(attnames, row, strict=True))) for row in self.rows]
        self.model._default_manager.bulk_create(objects, batch_size=BULK_BATCH)
