"""QTI 3.0 export and QTI 2.1 / 2.2 / 3.0 import of question banks.

Pure functions over bytes and item definitions (no database): `write_package` turns items into
a QTI 3.0 content package, `read_upload` turns an uploaded package or item into Cascade
definitions, each validated by `cascade.assessments.items.item_definition`. The services that
check the actor, write the items and audit are in `cascade.assessments.qti_services`.

What maps, and what is left out:
- single choice, true/false, multiple response, numeric, short text, ordering and matching are
  QTI's choice, text entry, order and match interactions, both ways;
- scenario, configuration and evidence items have no QTI equivalent and are left out of an
  export, each with its reason; on import, every other interaction is skipped with its reason.
"""

from cascade.assessments.qti.metadata import ItemMetadata
from cascade.assessments.qti.package import Limits, ReadPackage, read_upload
from cascade.assessments.qti.reader import ReadItem, Unread
from cascade.assessments.qti.writer import (
    ItemToWrite,
    Left,
    Written,
    WrittenPackage,
    title_of,
    write_package,
)
from cascade.assessments.qti.xml import PackageInvalid

__all__ = [
    "ItemMetadata",
    "ItemToWrite",
    "Left",
    "Limits",
    "PackageInvalid",
    "ReadItem",
    "ReadPackage",
    "Unread",
    "Written",
    "WrittenPackage",
    "read_upload",
    "title_of",
    "write_package",
]
