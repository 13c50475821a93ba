"""Tenant theming: the tenant's brand colours as CSS custom properties, made readable.

A vendor picks any primary and accent colour. Text drawn on them, and the colours used as text on
the page background, must keep WCAG 2.1 AA contrast (4.5:1), so each colour comes with an "ink"
(black or white text to put on it) and a "text" variant darkened until it reads on white.
"""

from __future__ import annotations

from dataclasses import dataclass

from cascade.tenancy.models import Tenant

DEFAULT_PRIMARY = "#1f4fa3"
DEFAULT_ACCENT = "#0f7b6c"
AA_CONTRAST = 4.5
_WHITE = (255, 255, 255)
_NEAR_BLACK = (17, 24, 39)


@dataclass(frozen=True)
class Theme:
    primary: str
    primary_ink: str
    primary_text: str
    accent: str
    accent_ink: str
    accent_text: str

    def css(self) -> str:
        return (
            f"--brand:{self.primary};--brand-ink:{self.primary_ink};"
            f"--brand-text:{self.primary_text};--accent:{self.accent};"
            f"--accent-ink:{self.accent_ink};--accent-text:{self.accent_text};"
        )


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _ink(rgb: tuple[int, int, int]) -> str:
    """White or near-black text, whichever reads better on `rgb`."""
    if contrast(rgb, _WHITE) >= contrast(rgb, _NEAR_BLACK):
        return _hex(_WHITE)
    return _hex(_NEAR_BLACK)


def _readable_on_white(rgb: tuple[int, int, int]) -> str:
    """The colour, darkened step by step until it reaches AA contrast on a white background."""
    r, g, b = rgb
    for _ in range(40):
        if contrast((r, g, b), _WHITE) >= AA_CONTRAST:
            break
        r, g, b = int(r * 0.92), int(g * 0.92), int(b * 0.92)
    return _hex((r, g, b))


def _valid(colour: str, default: str) -> str:
    value = (colour or "").strip()
    if len(value) == 7 and value.startswith("#"):
        try:
            int(value[1:], 16)
        except ValueError:
            return default
        return value.lower()
    return default


def theme_for(tenant: Tenant | None) -> Theme:
    primary = _rgb(_valid(tenant.primary_colour if tenant else "", DEFAULT_PRIMARY))
    accent = _rgb(_valid(tenant.accent_colour if tenant else "", DEFAULT_ACCENT))
    return Theme(
        primary=_hex(primary),
        primary_ink=_ink(primary),
        primary_text=_readable_on_white(primary),
        accent=_hex(accent),
        accent_ink=_ink(accent),
        accent_text=_readable_on_white(accent),
    )
