"""JSON rendering with orjson: several times faster than the standard library on list pages
(datetimes, enums and dataclasses are native to it); anything else falls back to ninja's encoder."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_fallback = NinjaJSONEncoder()
# Datetimes as RFC 3339 with microseconds and "Z" for UTC: 2026-11-29T08:15:00.123456Z.
JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=_fallback.default, option=JSON_OPTIONS)
