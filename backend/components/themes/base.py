"""Gradio's theme classes: ``ThemeClass`` and ``Base`` (``gr.Theme``), built from hues, sizes and
fonts, with ``.set(...)`` for Gradio's CSS variables. ``palettes.py`` turns one into the
widget's palette."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from . import colors, fonts, sizes

Hue = colors.Color | str
Scale = sizes.Size | str
Fonts = fonts.Font | str | Iterable[fonts.Font | str]

_VARIABLE = re.compile(r"^[a-z][a-z0-9_]*$")


class ThemeClass:
    """What every theme has: a name and the CSS variables given to ``.set(...)``."""

    name: ClassVar[str] = "base"

    def __init__(self) -> None:
        self.variables: dict[str, str] = {}

    def set(self, **variables: Any) -> Self:
        """Overrides Gradio CSS variables (``button_primary_background_fill="*primary_700"``,
        ``body_text_color_dark="#eeeeee"``); returns the theme, as Gradio's does.

        Values are CSS text or a ``*reference`` to a hue shade (``*neutral_50``), a size step
        (``*radius_lg``) or another variable. The widget uses the variables that have a
        counterpart in its palette (see ``palettes.VARIABLES``); the rest are kept, unused.
        """
        for key, value in variables.items():
            if not _VARIABLE.match(key):
                raise TypeError(f"{type(self).__name__}.set() got an unexpected argument {key!r}")
            if value is None:
                continue
            if not isinstance(value, str):
                raise TypeError(f"theme variable {key} must be a string, not {value!r}")
            self.variables[key] = value
        return self

    def to_dict(self) -> dict[str, Any]:
        """The variables set on this theme, as Gradio's ``{"theme": {...}}``."""
        return {"theme": dict(self.variables)}

    @classmethod
    def from_dict(cls, theme: dict[str, Any]) -> Base:
        """A theme with the variables of ``to_dict()``'s output."""
        made = Base()
        variables = theme.get("theme", theme)
        if isinstance(variables, dict):
            made.set(**{key: value for key, value in variables.items() if isinstance(value, str)})
        return made

    @classmethod
    def from_hub(cls, repo_name: str, hf_token: str | None = None) -> Base:
        """A theme from the Hugging Face Hub: chatbubble fetches nothing from there, so this
        warns and gives the default theme (``hf_token`` is not used)."""
        del hf_token
        hub_warning(repo_name)
        return Base()

    def __getattr__(self, name: str) -> str:
        variables = self.__dict__.get("variables", {})
        if name in variables:
            return str(variables[name])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Base(ThemeClass):
    """Gradio's base theme (``gr.themes.Base`` and ``gr.Theme``); the other themes differ in
    their default hues, sizes and fonts.

    Arguments:
        primary_hue, secondary_hue, neutral_hue: a ``gr.themes.Color`` or a hue's name
            (``"blue"``); the primary hue colours buttons and the visitor's messages, the
            neutral hue backgrounds, borders and text.
        text_size, spacing_size, radius_size: a ``gr.themes.Size`` or its name
            (``"radius_lg"`` or ``"lg"``); the radius sets the widget's corners.
        font, font_mono: fonts (``gr.themes.GoogleFont("Inter")``), kept without effect:
            the widget downloads no fonts.

    Example::

        theme = gr.themes.Soft(primary_hue="emerald").set(body_background_fill="*neutral_50")
        gr.ChatInterface(fn, theme=theme)
    """

    name: ClassVar[str] = "base"
    #: primary, secondary and neutral hues; text, spacing and radius sizes; the fonts.
    defaults: ClassVar[tuple[str, str, str, str, str, str]] = (
        "blue", "blue", "zinc", "text_md", "spacing_md", "radius_md",
    )  # fmt: skip
    default_font: ClassVar[tuple[str, ...]] = ("IBM Plex Sans", "ui-sans-serif", "sans-serif")
    default_font_mono: ClassVar[tuple[str, ...]] = ("IBM Plex Mono", "ui-monospace", "monospace")

    def __init__(
        self,
        *,
        primary_hue: Hue | None = None,
        secondary_hue: Hue | None = None,
        neutral_hue: Hue | None = None,
        text_size: Scale | None = None,
        spacing_size: Scale | None = None,
        radius_size: Scale | None = None,
        font: Fonts | None = None,
        font_mono: Fonts | None = None,
    ) -> None:
        super().__init__()
        given = (primary_hue, secondary_hue, neutral_hue, text_size, spacing_size, radius_size)
        #: False while the theme is exactly its class's: it then takes the built-in palette.
        self.customized = any(value is not None for value in given)
        primary, secondary, neutral, text, spacing, radius = self.defaults
        self.primary_hue = colors.named(primary_hue or primary)
        self.secondary_hue = colors.named(secondary_hue or secondary)
        self.neutral_hue = colors.named(neutral_hue or neutral)
        self.text_size = sizes.named(text_size or text, "text")
        self.spacing_size = sizes.named(spacing_size or spacing, "spacing")
        self.radius_size = sizes.named(radius_size or radius, "radius")
        self.font = fonts.stack(font if font is not None else self.default_font)
        self.font_mono = fonts.stack(
            font_mono if font_mono is not None else self.default_font_mono
        )


_warned: set[str] = set()


def hub_warning(repo_name: str) -> None:
    """Warns once per name that a Hub theme is not loaded."""
    if repo_name in _warned:
        return
    _warned.add(repo_name)
    warnings.warn(
        f"theme {repo_name!r} is not a built-in Gradio theme, and chatbubble loads no themes "
        "from the Hugging Face Hub: the default theme is used",
        UserWarning,
        stacklevel=3,
    )
