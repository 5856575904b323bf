"""Gradio's ``gr.themes.sizes``: the text, spacing and corner-radius scales of a theme.

Each scale has seven steps, ``xxs`` to ``xxl`` (CSS lengths); a theme takes one per kind
(``radius_size=sizes.radius_lg``) or its name (``radius_size="lg"``).
"""

from __future__ import annotations

__all__ = [
    "Size",
    "radius_lg",
    "radius_md",
    "radius_none",
    "radius_sm",
    "radius_xxl",
    "spacing_lg",
    "spacing_md",
    "spacing_sm",
    "text_lg",
    "text_md",
    "text_sm",
]

STEPS = ("xxs", "xs", "sm", "md", "lg", "xl", "xxl")


class Size:
    """A scale of seven CSS lengths, ``xxs`` to ``xxl``, and an optional name."""

    all: list[Size] = []

    def __init__(
        self, xxs: str, xs: str, sm: str, md: str, lg: str, xl: str, xxl: str,
        name: str | None = None,
    ) -> None:  # fmt: skip
        self.xxs, self.xs, self.sm, self.md = xxs, xs, sm, md
        self.lg, self.xl, self.xxl = lg, xl, xxl
        self.name = name
        Size.all.append(self)

    def expand(self) -> list[str]:
        """The seven lengths, smallest first."""
        return [str(getattr(self, step)) for step in STEPS]

    def __repr__(self) -> str:
        return f"Size(name={self.name!r})"


def _scale(name: str, lengths: str) -> Size:
    values = {step: f"{value}px" for step, value in zip(STEPS, lengths.split(), strict=True)}
    return Size(**values, name=name)


radius_none = _scale("radius_none", "0 0 0 0 0 0 0")
radius_sm = _scale("radius_sm", "1 1 2 4 6 8 12")
radius_md = _scale("radius_md", "1 2 4 6 8 12 22")
radius_lg = _scale("radius_lg", "2 4 6 8 12 16 24")
radius_xxl = _scale("radius_xxl", "6 8 10 20 24 28 32")
spacing_sm = _scale("spacing_sm", "1 1 2 4 6 9 12")
spacing_md = _scale("spacing_md", "1 2 4 6 8 10 16")
spacing_lg = _scale("spacing_lg", "2 4 6 8 10 14 28")
text_sm = _scale("text_sm", "8 9 11 13 16 20 24")
text_md = _scale("text_md", "9 10 12 14 16 22 26")
text_lg = _scale("text_lg", "10 12 14 16 20 24 28")


def named(size: Size | str, kind: str) -> Size:
    """``size`` itself, or the ``kind`` scale of that name (``"lg"`` or ``"radius_lg"``)."""
    if isinstance(size, Size):
        return size
    if isinstance(size, str):
        wanted = size.strip().lower()
        wanted = wanted if wanted.startswith(kind + "_") else f"{kind}_{wanted}"
        for scale in Size.all:
            if scale.name == wanted:
                return scale
    choices = [name for name in __all__ if name.startswith(kind + "_")]
    raise ValueError(
        f"a theme {kind} size must be a gr.themes.Size or one of {', '.join(choices)}"
    )
