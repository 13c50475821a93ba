"""People's names for the demo: pools drawn once per locale from Faker, then combined at random.

Calling Faker for each of a million people would take minutes; drawing a few hundred first and
last names per locale with a seeded Faker and combining them with `random.Random` is as varied
to the eye, deterministic for a seed, and fast.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from faker import Faker

_POOL_DRAWS = 400
_TRANSLITERATE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "Ae", "đ": "d"}
)
_NOT_LOCAL_PART = re.compile(r"[^a-z0-9]+")


def ascii_label(text: str) -> str:
    """ "Łukasz Nowak-Żółw" -> "lukasznowakzolw": what an e-mail local part is made of."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    return _NOT_LOCAL_PART.sub("", decomposed.encode("ascii", "ignore").decode().lower())


def slug_label(text: str) -> str:
    """ "Apex Networks & Co." -> "apex-networks-co": a DNS label for a made-up domain."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    words = re.findall(r"[a-z0-9]+", decomposed.encode("ascii", "ignore").decode().lower())
    return "-".join(words)[:50].strip("-")


@dataclass(frozen=True)
class Name:
    display: str  # as the person writes it
    first: str  # ASCII, for the e-mail address
    last: str


@dataclass(frozen=True)
class NamePool:
    # (display, ascii) pairs
    first_names: tuple[tuple[str, str], ...]
    last_names: tuple[tuple[str, str], ...]
    family_name_first: bool

    def pick(self, rng: random.Random) -> Name:
        first, first_ascii = rng.choice(self.first_names)
        last, last_ascii = rng.choice(self.last_names)
        display = f"{last} {first}" if self.family_name_first else f"{first} {last}"
        return Name(display=display, first=first_ascii, last=last_ascii)

    def pick_family_name(self, rng: random.Random) -> str:
        """A family name as a company name would carry it (romanized where not Latin)."""
        last, last_ascii = rng.choice(self.last_names)
        return last_ascii.capitalize() if self.family_name_first else last


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


@cache
def name_pool(locale: str, seed: int) -> NamePool:
    """A few hundred distinct first and last names typical of `locale`, the same for a seed."""
    faker = _faker(locale)
    faker.seed_instance(f"{seed}:{locale}")
    if locale == "ja_JP":
        # Kanji as written, romanized for the address; family name first.
        firsts = [faker.first_name_pair() for _ in range(_POOL_DRAWS)]
        lasts = [faker.last_name_pair() for _ in range(_POOL_DRAWS)]
        return NamePool(
            first_names=_distinct((kanji, ascii_label(roman)) for kanji, _, roman in firsts),
            last_names=_distinct((kanji, ascii_label(roman)) for kanji, _, roman in lasts),
            family_name_first=True,
        )
    first_names = [faker.first_name() for _ in range(_POOL_DRAWS)]
    last_names = [faker.last_name() for _ in range(_POOL_DRAWS)]
    return NamePool(
        first_names=_distinct((n, ascii_label(n)) for n in first_names),
        last_names=_distinct((n, ascii_label(n)) for n in last_names),
        family_name_first=False,
    )


def _distinct(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    seen: dict[str, tuple[str, str]] = {}
    for display, label in pairs:
        if label and display not in seen:
            seen[display] = (display, label)
    return tuple(seen.values())
