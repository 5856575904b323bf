"""A Gradio theme as the widget's palette (light and dark), the ``theme`` of ``/api/config``.

The keys are the widget's ``--chatbubble-*`` custom properties (``on_primary`` is
``--chatbubble-on-primary``). The classic theme names have hand-picked palettes; any other
theme (other hues, sizes, the newer classes) is worked out from its hues and radius, and the
variables given to ``.set(...)`` that have a counterpart in the palette go over it. Every
text colour a theme does not set meets WCAG AA contrast on its background.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from . import colors, sizes
from .base import Base

Palette = dict[str, str]

_LIGHT_BASE: Palette = {
    "on_primary": "#ffffff",
    "background": "#ffffff",
    "surface": "#f4f4f5",
    "text": "#18181b",
    "muted": "#52525b",
    "border": "#e4e4e7",
    "danger": "#b91c1c",
    "radius": "16px",
}
_DARK_BASE: Palette = {
    "on_primary": "#18181b",
    "background": "#18181b",
    "surface": "#27272a",
    "text": "#f4f4f5",
    "muted": "#a1a1aa",
    "border": "#3f3f46",
    "danger": "#f87171",
    "radius": "16px",
}

# name: (light overrides, dark overrides)
_THEMES: dict[str, tuple[Palette, Palette]] = {
    "default": ({"primary": "#c2410c"}, {"primary": "#fb923c"}),
    "base": (
        {"primary": "#1d4ed8", "surface": "#f1f5f9", "text": "#0f172a", "muted": "#475569"},
        {"primary": "#60a5fa", "on_primary": "#0f172a"},
    ),
    "soft": (
        {
            "primary": "#4f46e5",
            "surface": "#eef2ff",
            "text": "#1e1b4b",
            "border": "#e0e7ff",
            "radius": "22px",
        },
        {"primary": "#a5b4fc", "on_primary": "#1e1b4b", "radius": "22px"},
    ),
    "monochrome": (
        {"primary": "#18181b", "text": "#09090b", "border": "#d4d4d8", "radius": "6px"},
        {"primary": "#f4f4f5", "radius": "6px"},
    ),
    "glass": (
        {
            "primary": "#44403c",
            "surface": "#f5f5f4",
            "text": "#1c1917",
            "muted": "#57534e",
            "border": "#e7e5e4",
            "radius": "12px",
        },
        {"primary": "#d6d3d1", "on_primary": "#1c1917", "radius": "12px"},
    ),
    "ocean": (
        {
            "primary": "#0e7490",
            "surface": "#ecfeff",
            "text": "#083344",
            "muted": "#155e75",
            "border": "#a5f3fc",
        },
        {"primary": "#22d3ee", "on_primary": "#083344", "surface": "#164e63", "border": "#155e75"},
    ),
    "origin": (
        {"primary": "#c2410c", "surface": "#fff7ed", "border": "#fed7aa", "radius": "8px"},
        {"primary": "#fb923c", "radius": "8px"},
    ),
    "citrus": (
        {
            "primary": "#facc15",
            "on_primary": "#1c1917",
            "surface": "#fefce8",
            "text": "#1a2e05",
            "muted": "#3f6212",
            "border": "#ecfccb",
        },
        {"primary": "#facc15", "on_primary": "#1c1917"},
    ),
}

NAMES = tuple(sorted(_THEMES))


#: Gradio variables (``theme.set(...)``) for each palette key, the first one set wins; a
#: ``_dark`` variant of each sets the dark palette.
VARIABLES: dict[str, tuple[str, ...]] = {
    "primary": ("button_primary_background_fill", "color_accent"),
    "on_primary": ("button_primary_text_color",),
    "background": ("background_fill_primary", "body_background_fill", "block_background_fill"),
    "surface": ("background_fill_secondary",),
    "text": ("body_text_color",),
    "muted": ("body_text_color_subdued",),
    "border": ("border_color_primary", "block_border_color"),
    "danger": ("error_text_color",),
    "radius": ("block_radius", "container_radius"),
}

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_LENGTH = re.compile(r"^\d+(?:\.\d+)?px$")
_NAMED = {"white": "#ffffff", "black": "#000000"}
_WHITE, _BLACK = "#ffffff", "#000000"


def theme_config(theme: str | Base | None) -> dict[str, Any] | None:
    """The ``theme`` entry of ``/api/config`` for a checked theme (see ``choice.check_theme``);
    None keeps the widget's own look."""
    if theme is None:
        return None
    if isinstance(theme, str):
        light, dark = _THEMES[theme]
        return {"name": theme, "light": {**_LIGHT_BASE, **light}, "dark": {**_DARK_BASE, **dark}}
    if not theme.customized and theme.name in _THEMES:
        named = theme_config(theme.name)
        assert named is not None
        light, dark = named["light"], named["dark"]
    else:
        light, dark = _worked_out(theme, dark=False), _worked_out(theme, dark=True)
    for key, names in VARIABLES.items():
        for mode, palette in (("", light), ("_dark", dark)):
            # Sizes have no dark variant in Gradio: a radius is the same in both palettes.
            suffix = "" if key == "radius" else mode
            value = _first(theme, [name + suffix for name in names], key)
            if value is not None:
                palette[key] = value
    return {"name": theme.name, "light": light, "dark": dark}


def _worked_out(theme: Base, *, dark: bool) -> dict[str, str]:
    """A palette from the theme's hues: the primary hue for buttons and the visitor's
    messages, the neutral hue for the rest, text readable on every background."""
    primary, neutral = theme.primary_hue, theme.neutral_hue
    out = dict(_DARK_BASE if dark else _LIGHT_BASE)
    if dark:
        ink = _hex(neutral.c950) or _BLACK
        out.update(
            background=neutral.c900, surface=neutral.c800, text=neutral.c100,
            muted=neutral.c400, border=neutral.c700,
        )  # fmt: skip
        shades = (primary.c400, primary.c300, primary.c500)
    else:
        ink = _WHITE
        out.update(
            background=_WHITE, surface=neutral.c100, text=neutral.c900,
            muted=neutral.c600, border=neutral.c200,
        )  # fmt: skip
        shades = (primary.c600, primary.c700, primary.c800)
    out["primary"], out["on_primary"] = _readable(shades, ink)
    out["radius"] = _px(theme.radius_size.xl, None) or out["radius"]
    return {key: _hex(value) or value for key, value in out.items()}


def _readable(shades: tuple[str, ...], ink: str) -> tuple[str, str]:
    """The first shade that ``ink`` reads on (4.5:1), else the first with black or white."""
    for shade in shades:
        if _contrast(shade, ink) >= 4.5:
            return shade, ink
    first = shades[0]
    return first, max((_BLACK, _WHITE), key=lambda other: _contrast(first, other))


def _first(theme: Base, names: list[str], key: str) -> str | None:
    for name in names:
        if name in theme.variables:
            value = _resolve(theme, theme.variables[name], set())
            valid = _px(value, None) if key == "radius" else _hex(value)
            if valid is None:
                warnings.warn(
                    f"theme variable {name}={theme.variables[name]!r} is not a colour or "
                    f"length the chat bubble can show: ignored",
                    UserWarning,
                    stacklevel=4,
                )
                continue
            return valid
    return None


def _resolve(theme: Base, value: str, seen: set[str]) -> str:
    """``*primary_500``, ``*radius_lg`` or ``*other_variable`` as the value it stands for."""
    value = value.strip()
    if not value.startswith("*"):
        return value
    ref = value[1:]
    hue, _, shade = ref.rpartition("_")
    for kind in ("primary", "secondary", "neutral"):
        if hue == kind and "c" + shade in colors.SHADES:
            return str(getattr(getattr(theme, kind + "_hue"), "c" + shade))
    for kind in ("text", "spacing", "radius"):
        if hue == kind and shade in sizes.STEPS:
            return str(getattr(getattr(theme, kind + "_size"), shade))
    if ref in theme.variables and ref not in seen:
        return _resolve(theme, theme.variables[ref], seen | {ref})
    return value


def _hex(value: str) -> str | None:
    value = _NAMED.get(value.strip().lower(), value.strip())
    if not _HEX.match(value):
        return None
    digits = value[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def _px(value: str, fallback: str | None) -> str | None:
    value = value.strip()
    return value if _LENGTH.match(value) else fallback


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
