"""WCAG 2.2 contrast: relative luminance of an sRGB colour and the contrast ratio of two colours.

Text needs at least 4.5:1 against its background (success criterion 1.4.3) and graphics such as
chart bars at least 3:1 (1.4.11). Pure functions on "#rrggbb" strings, so the rules can be checked
in tests without a window.
"""

from __future__ import annotations

TEXT_MINIMUM = 4.5
GRAPHICS_MINIMUM = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(colour: str) -> tuple[int, int, int]:
    """(r, g, b) of "#rrggbb" or "#rgb"."""
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    """Contrast ratio of two colours, 1 (same) to 21 (black on white); order does not matter."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def grey_level(colour: str) -> int:
    """The colour as a greyscale printer or a colour-blind reader sees it: 0-255 of luminance."""
    return round(255 * luminance(colour) ** (1 / 2.2))
