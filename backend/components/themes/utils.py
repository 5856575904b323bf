"""Gradio's ``gr.themes.utils``: the modules themes are built from, under one name."""

from __future__ import annotations

from . import colors as colors
from . import fonts as fonts
from . import sizes as sizes

__all__ = ["colors", "fonts", "sizes"]
