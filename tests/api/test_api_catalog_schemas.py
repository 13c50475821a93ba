"""The catalog's API schemas next to the other apps': one name, one component."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from cascade.api.v1 import api


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name(db: None) -> None:
    # given: every schema of every router is imported by the API
    api.get_openapi_schema(path_prefix="")
    # when
    modules: dict[str, set[str]] = defaultdict(set)
    for model in _subclasses(BaseModel):
        if model.__module__.startswith("cascade.") and "[" not in model.__name__:
            modules[model.__name__].add(model.__module__)
    # then: OpenAPI components are named after the class, so a second class of the same name
    # would silently replace the first in the document
    assert {name: sorted(found) for name, found in modules.items() if len(found) > 1} == {}
