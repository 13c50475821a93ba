"""Reading an uploaded QTI content package (a zip with `imsmanifest.xml`) or one item's XML.

An upload is untrusted. Before anything is parsed:
- its size is bounded (`Limits.upload`), and so are the number of entries and their declared
  uncompressed sizes, in total and per XML document; `zipfile` never inflates an entry beyond
  its declared size (a lying entry fails its CRC check), so a zip bomb is refused by arithmetic,
  not by running out of memory;
- entry names and manifest references must stay inside the package: an absolute path, a drive,
  a backslash or a `..` step is refused (nothing is extracted to disk, but such a package is
  not one an authoring tool wrote);
- encrypted entries are refused;
- XML may not declare a DTD or entities (`cascade.assessments.qti.xml.parse`).

A package that breaks any of these, is not a zip, lacks its manifest, references a file it
does not hold, or holds no item is refused whole (`PackageInvalid`): nothing is imported.
Items Cascade cannot hold are skipped with their reason, and the rest are read.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from cascade.assessments.qti.metadata import ItemMetadata, read_metadata
from cascade.assessments.qti.reader import ReadItem, Unread, read_item
from cascade.assessments.qti.xml import PackageInvalid, local, parse

MANIFEST = "imsmanifest.xml"
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    upload: int = 20 * MEGABYTE
    entries: int = 2000
    uncompressed: int = 100 * MEGABYTE
    document: int = 5 * MEGABYTE
    items: int = 1000


@dataclass
class ReadPackage:
    items: list[ReadItem] = field(default_factory=list)
    skipped: list[Unread] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:g} MB"


def read_upload(data: bytes, *, limits: Limits = Limits()) -> ReadPackage:
    """The items of a QTI 2.1/2.2/3.0 content package, or of one item's XML document."""
    if len(data) > limits.upload:
        raise PackageInvalid(
            f"The file is larger than {_megabytes(limits.upload)}.", code="too_large"
        )
    if data.startswith(b"PK"):
        return _read_zip(data, limits)
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        if len(data) > limits.document:
            raise PackageInvalid(
                f"The XML file is larger than {_megabytes(limits.document)}.", code="too_large"
            )
        root = parse(data, "The XML file")
        if local(root.tag) == "manifest":
            raise PackageInvalid(
                "This is a package's manifest alone: send the whole package as a zip."
            )
        package = ReadPackage()
        _add(package, read_item(root, where="The XML file", about=ItemMetadata()))
        return package
    raise PackageInvalid(
        "The file is neither a QTI content package (a zip) nor a QTI item (an XML file)."
    )


def _add(package: ReadPackage, result: ReadItem | Unread) -> None:
    if isinstance(result, ReadItem):
        package.items.append(result)
    else:
        package.skipped.append(result)


_UNSAFE = re.compile(r"(^/)|(^[A-Za-z]:)|\\|\x00")


def _safe(name: str, what: str) -> str:
    """`name` as a path inside the package; refused if it would leave it."""
    if _UNSAFE.search(name):
        raise PackageInvalid(f"{what} “{name}” points outside the package.", code="unsafe_package")
    normal = posixpath.normpath(name)
    if normal == ".." or normal.startswith("../") or normal.startswith("/"):
        raise PackageInvalid(f"{what} “{name}” points outside the package.", code="unsafe_package")
    return normal


class _Archive:
    def __init__(self, data: bytes, limits: Limits) -> None:
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise PackageInvalid(f"The file is not a readable zip ({exc}).") from None
        if len(infos) > limits.entries:
            raise PackageInvalid(
                f"The package has {len(infos)} files; at most {limits.entries} are accepted.",
                code="too_large",
            )
        total = 0
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = _safe(info.filename, "The file")
            if info.flag_bits & 0x1:
                raise PackageInvalid(
                    f"The package's file “{info.filename}” is encrypted.", code="unsafe_package"
                )
            total += info.file_size
            if not info.is_dir():
                self.entries[name] = info
        if total > limits.uncompressed:
            raise PackageInvalid(
                f"The package unpacks to more than {_megabytes(limits.uncompressed)}.",
                code="too_large",
            )

    def read(self, name: str) -> bytes:
        info = self.entries.get(name)
        if info is None:
            raise PackageInvalid(f"The package does not hold “{name}”, which its manifest lists.")
        if info.file_size > self.limits.document:
            raise PackageInvalid(
                f"“{name}” is larger than {_megabytes(self.limits.document)}.", code="too_large"
            )
        try:
            return self.zip.read(info)
        except (
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            EOFError,
            OSError,
            ValueError,
        ) as exc:
            raise PackageInvalid(f"“{name}” cannot be read from the zip ({exc}).") from None


def _resource_href(resource: ET.Element, base: str) -> str | None:
    href = resource.get("href")
    if not href:
        files = [e for e in resource if local(e.tag) == "file" and e.get("href")]
        href = files[0].get("href") if files else None
    if not href:
        return None
    return _safe(posixpath.join(base, unquote(href)), "The manifest's reference")


def _read_zip(data: bytes, limits: Limits) -> ReadPackage:
    archive = _Archive(data, limits)
    if MANIFEST not in archive.entries:
        raise PackageInvalid(
            "The zip has no imsmanifest.xml at its root: it is not a QTI content package."
        )
    manifest = parse(archive.read(MANIFEST), MANIFEST)
    if local(manifest.tag) != "manifest":
        raise PackageInvalid("imsmanifest.xml is not an IMS content packaging manifest.")
    package = ReadPackage()
    items: list[tuple[str, ET.Element]] = []
    for resources in (e for e in manifest if local(e.tag) == "resources"):
        base = resources.get("{http://www.w3.org/XML/1998/namespace}base", "")
        for resource in (e for e in resources if local(e.tag) == "resource"):
            kind = resource.get("type", "")
            href = _resource_href(
                resource,
                posixpath.join(
                    base, resource.get("{http://www.w3.org/XML/1998/namespace}base", "")
                ),
            )
            if kind.startswith("imsqti_item_xmlv") and href:
                items.append((href, resource))
            elif kind.startswith("imsqti_test_xmlv"):
                package.warnings.append(
                    f"The assessment test {resource.get('identifier', href or '')} is not "
                    "imported (a bank holds items, not tests); its items are."
                )
    if not items:
        raise PackageInvalid("The package's manifest lists no QTI assessment item.")
    if len(items) > limits.items:
        raise PackageInvalid(
            f"The package holds {len(items)} items; at most {limits.items} are imported at once.",
            code="too_large",
        )
    for href, resource in items:
        root = parse(archive.read(href), href)
        about = next((e for e in resource if local(e.tag) == "metadata"), None)
        _add(package, read_item(root, where=href, about=read_metadata(about)))
    return package
