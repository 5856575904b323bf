"""Gradio's built-in theme names, each mapped to a widget palette (light and dark).

The keys are the widget's ``--chatbubble-*`` custom properties (``on_primary`` is
``--chatbubble-on-primary``). Every text colour meets WCAG AA contrast on its background.
"""

from __future__ import annotations

from typing import Any

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


def theme_config(name: str | None) -> dict[str, Any] | None:
    """The ``theme`` entry of ``/api/config``; None keeps the widget's own look."""
    if name is None:
        return None
    light, dark = _THEMES[name]
    return {"name": name, "light": {**_LIGHT_BASE, **light}, "dark": {**_DARK_BASE, **dark}}


def check_theme(theme: Any) -> str | None:
    """The theme name, or a clear error naming the argument."""
    if theme is None:
        return None
    if not isinstance(theme, str):
        raise TypeError(
            f"theme must be the name of a Gradio theme ({', '.join(NAMES)}), "
            f"not {type(theme).__name__}"
        )
    name = theme.strip().lower()
    if name.startswith("gradio/"):
        name = name.removeprefix("gradio/")
    if name not in _THEMES:
        raise ValueError(f"theme must be one of {', '.join(NAMES)}, not {theme!r}")
    return name
