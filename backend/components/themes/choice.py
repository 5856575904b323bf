"""The ``theme=`` argument as Gradio takes it: a theme object, or a theme's name."""

from __future__ import annotations

from typing import Any

from .base import Base, hub_warning
from .builtin import BUILT_IN
from .palettes import NAMES


def check_theme(theme: Any) -> str | Base | None:
    """A name with its own palette (``"ocean"``, ``"gradio/soft"``), a theme object, or None
    (the default look). Other names are built-in themes (``"neon"``) or, as in Gradio, Hub
    themes (``"user/name"``): those give one warning and the default look, as Gradio does
    when it cannot load one."""
    if theme is None or isinstance(theme, Base):
        return theme
    if not isinstance(theme, str):
        raise TypeError(
            f"theme must be a Gradio theme (gr.themes.Soft(), ...) or its name, "
            f"not {type(theme).__name__}"
        )
    name = theme.strip().lower().removeprefix("gradio/")
    if name in NAMES:
        return name
    if name in BUILT_IN:
        return BUILT_IN[name]()
    hub_warning(theme)
    return None
