"""Gradio's theme fonts: a family by name (``Font``), one Gradio would fetch from Google Fonts
(``GoogleFont``) or serve itself (``LocalFont``).

chatbubble downloads no fonts: the widget keeps its own font stack, so a theme's fonts are
accepted and kept, with no effect on the look.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Font", "GoogleFont", "LocalFont"]


class Font:
    """A font family by name (``"Georgia"``, ``"sans-serif"``)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def stylesheet(self) -> dict[str, str | None]:
        """Where the font's CSS comes from: nowhere here (no font is downloaded)."""
        return {"url": None, "css": None}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Font) and type(other) is type(self) and other.name == self.name

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.name))

    def __str__(self) -> str:
        return self.name if self.name in _GENERIC else f"'{self.name}'"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class GoogleFont(Font):
    """A Google Fonts family with its weights (not downloaded by chatbubble)."""

    def __init__(self, name: str, weights: Iterable[int] = (400, 600)) -> None:
        super().__init__(name)
        self.weights = tuple(weights)


class LocalFont(GoogleFont):
    """A font Gradio serves from its own files (not served by chatbubble)."""


_GENERIC = {
    "serif",
    "sans-serif",
    "monospace",
    "cursive",
    "fantasy",
    "system-ui",
    "ui-serif",
    "ui-sans-serif",
    "ui-monospace",
    "ui-rounded",
}


def stack(fonts: Font | str | Iterable[Font | str]) -> tuple[Font, ...]:
    """A theme's ``font=`` argument as a tuple of fonts, most wanted first."""
    items = [fonts] if isinstance(fonts, (Font, str)) else list(fonts)
    return tuple(item if isinstance(item, Font) else Font(str(item)) for item in items)
