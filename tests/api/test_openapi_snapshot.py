"""The OpenAPI document is a contract: it changes only on purpose, with the snapshot.

Regenerate the snapshot after an intended change with
`UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/api/test_openapi_snapshot.py` and commit it.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from cascade.api.v1 import api
from tests.conftest import World

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")
REGENERATE = "UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/api/test_openapi_snapshot.py"


def _render(document: Any) -> str:
    return (
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def test_openapi_document_matches_the_committed_snapshot(db: None) -> None:
    # given
    current = _render(api.get_openapi_schema())
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    # then
    if current != committed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    current.splitlines(keepends=True),
                    "openapi.snapshot.json (committed)",
                    "api.get_openapi_schema() (current)",
                )
            )[:80]
        )
        pytest.fail(
            "The OpenAPI document differs from tests/api/openapi.snapshot.json. If the change is "
            f"intended, regenerate the snapshot with `{REGENERATE}` and commit it.\n\n{diff}",
            pytrace=False,
        )


def test_every_operation_has_a_summary_and_documents_its_answers(db: None) -> None:
    # given
    document = api.get_openapi_schema()
    # when
    missing = [
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if not operation.get("summary") or not operation.get("responses")
    ]
    # then
    assert missing == []


def test_the_docs_page_renders(world: World) -> None:
    # when
    response = world.browser().get("/api/v1/docs")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "/api/v1/openapi.json" in response.content.decode()


def test_the_openapi_document_is_served(world: World) -> None:
    # when
    response = world.browser().get("/api/v1/openapi.json")
    # then
    assert response.status_code == 200
    served = response.json()
    assert served["info"]["title"] == "Cascade API"
    assert served["info"]["version"] == "1.0.0"
    assert json.loads(_render(served)) == json.loads(_render(api.get_openapi_schema()))
