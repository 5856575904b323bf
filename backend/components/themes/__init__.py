"""Gradio's ``gr.themes``: the theme classes, ``colors``, ``sizes``, ``utils`` and fonts.

A theme passed as ``theme=`` becomes the widget's palette (``palettes.py``); fonts and
spacing are kept without effect. ``choice.check_theme`` reads the argument.
"""

from __future__ import annotations

from . import colors as colors
from . import sizes as sizes
from . import utils as utils
from .base import Base as Base
from .base import ThemeClass as ThemeClass
from .builtin import Citrus as Citrus
from .builtin import Cyberpunk as Cyberpunk
from .builtin import Default as Default
from .builtin import Ember as Ember
from .builtin import Glass as Glass
from .builtin import Mario as Mario
from .builtin import Monochrome as Monochrome
from .builtin import Neon as Neon
from .builtin import Ocean as Ocean
from .builtin import Origin as Origin
from .builtin import Soft as Soft
from .colors import Color as Color
from .fonts import Font as Font
from .fonts import GoogleFont as GoogleFont
from .fonts import LocalFont as LocalFont
from .sizes import Size as Size

__all__ = [
    "Base",
    "Citrus",
    "Color",
    "Cyberpunk",
    "Default",
    "Ember",
    "Font",
    "Glass",
    "GoogleFont",
    "LocalFont",
    "Mario",
    "Monochrome",
    "Neon",
    "Ocean",
    "Origin",
    "Size",
    "Soft",
    "ThemeClass",
    "colors",
    "sizes",
    "utils",
]
