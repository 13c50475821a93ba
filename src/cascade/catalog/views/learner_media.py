"""Serving a lesson's media files to learners, with HTTP range requests so videos can seek.

The file is reached only through an item the learner may see (`browse.media_for_viewer`); anything
else answers 404. A file the author marked "stream only" is sent inline, never as an attachment.
Range requests follow RFC 9110 section 14: one byte range is served as 206 Partial Content, a range
that starts past the end as 416, and anything this endpoint does not serve (several ranges, other
units, bad syntax, a stale If-Range) falls back to the whole file, as the RFC allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import parse_etags

from cascade.catalog.media_models import MediaAsset
from cascade.core.errors import NotFound

_SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Large reads stream a video faster than FileResponse's 4 KiB default.
BLOCK_SIZE = 64 * 1024


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The range starts at or past the end of the file (416)."""


def requested_range(header: str, size: int) -> ByteRange | None:
    """The one byte range asked for, None to send the whole file; Unsatisfiable for a range that
    selects nothing."""
    match = _SINGLE_RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        # "bytes=-500": the last 500 bytes.
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    end = int(last) if last else None
    if end is not None and end < start:
        return None
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, size - 1 if end is None else min(end, size - 1))


class _Slice:
    """A file-like view of `length` bytes of `stream`, closing the stream when closed. It has
    no `fileno`, so servers cannot send the whole file with sendfile() instead."""

    def __init__(self, stream: IO[bytes], start: int, length: int) -> None:
        stream.seek(start)
        self._stream = stream
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        wanted = self._left if size < 0 else min(size, self._left)
        data = self._stream.read(wanted)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._stream.close()


class MediaFileResponse(FileResponse):
    block_size = BLOCK_SIZE


def _filename(asset: MediaAsset) -> str:
    return asset.original_name or PurePosixPath(asset.file.name or "file").name


def media_response(request: HttpRequest, asset: MediaAsset) -> HttpResponseBase:
    etag = f'"{asset.sha256}"'
    size = asset.size
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponseBase = HttpResponseNotModified()
        _common_headers(response, asset, etag)
        return response
    byte_range: ByteRange | None = None
    range_header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if range_header and (if_range is None or if_range.strip() == etag):
        try:
            byte_range = requested_range(range_header, size)
        except Unsatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            _common_headers(response, asset, etag)
            return response
    try:
        stream = asset.file.open("rb")
    except OSError as error:
        raise NotFound("No such file.", code="media_not_found") from error
    if byte_range is None:
        response = MediaFileResponse(
            stream,
            content_type=asset.content_type,
            as_attachment=asset.download_allowed,
            filename=_filename(asset),
        )
    else:
        response = MediaFileResponse(
            _Slice(stream, byte_range.start, byte_range.length),
            status=206,
            content_type=asset.content_type,
            as_attachment=asset.download_allowed,
            filename=_filename(asset),
        )
        response["Content-Length"] = str(byte_range.length)
        response["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
    _common_headers(response, asset, etag)
    return response


def _common_headers(response: HttpResponseBase, asset: MediaAsset, etag: str) -> None:
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    # Who may read the file depends on the viewer: no shared cache may keep it.
    response["Cache-Control"] = "private, no-cache"
