"""Gradio 6.31's ``gr.themes`` namespace, pinned: every theme class with its constructor
arguments and default hues and sizes, the colours, sizes and fonts."""

from __future__ import annotations

import inspect

import pytest

import backend as gr

# Copied from Gradio 6.31.0: [n for n in dir(gr.themes) if n[0].isupper()].
GRADIO_6_31_THEMES = [
    "Base", "Citrus", "Color", "Cyberpunk", "Default", "Ember", "Font", "Glass", "GoogleFont",
    "LocalFont", "Mario", "Monochrome", "Neon", "Ocean", "Origin", "Size", "Soft", "ThemeClass",
]  # fmt: skip

# Gradio 6.31.0: list(inspect.signature(gr.themes.Base).parameters), the same for every class.
GRADIO_6_31_THEME_ARGUMENTS = {
    "primary_hue", "secondary_hue", "neutral_hue", "text_size", "spacing_size", "radius_size",
    "font", "font_mono",
}  # fmt: skip

# Gradio 6.31.0: each class's default (primary, secondary, neutral hue, text, spacing, radius).
GRADIO_6_31_DEFAULTS = {
    "Base": ("blue", "blue", "zinc", "text_md", "spacing_md", "radius_md"),
    "Default": ("orange", "blue", "zinc", "text_md", "spacing_md", "radius_md"),
    "Soft": ("indigo", "indigo", "gray", "text_md", "spacing_md", "radius_md"),
    "Monochrome": ("neutral", "neutral", "neutral", "text_md", "spacing_lg", "radius_none"),
    "Glass": ("blue", "slate", "slate", "text_sm", "spacing_sm", "radius_sm"),
    "Ocean": ("emerald", "sky", "zinc", "text_md", "spacing_md", "radius_xxl"),
    "Origin": ("orange", "blue", "gray", "text_md", "spacing_md", "radius_md"),
    "Citrus": ("amber", "amber", "stone", "text_md", "spacing_lg", "radius_md"),
    "Cyberpunk": ("fuchsia", "cyan", "slate", "text_md", "spacing_md", "radius_sm"),
    "Ember": ("orange", "orange", "stone", "text_md", "spacing_md", "radius_lg"),
    "Mario": ("orange", "green", "stone", "text_md", "spacing_md", "radius_sm"),
    "Neon": ("lime", "cyan", "neutral", "text_md", "spacing_lg", "radius_xxl"),
}

# Gradio 6.31.0: the public names of gr.themes.colors and gr.themes.sizes.
GRADIO_6_31_COLORS = [
    "amber", "blue", "cyan", "emerald", "fuchsia", "gray", "green", "indigo", "lime", "neutral",
    "orange", "pink", "purple", "red", "rose", "sky", "slate", "stone", "teal", "violet",
    "yellow", "zinc",
]  # fmt: skip
GRADIO_6_31_SIZES = [
    "radius_lg", "radius_md", "radius_none", "radius_sm", "radius_xxl", "spacing_lg",
    "spacing_md", "spacing_sm", "text_lg", "text_md", "text_sm",
]  # fmt: skip


def test_every_gradio_theme_name_exists() -> None:
    assert [name for name in GRADIO_6_31_THEMES if not hasattr(gr.themes, name)] == []
    assert gr.Theme is gr.themes.Base
    assert gr.themes.utils.colors is gr.themes.colors and gr.themes.utils.sizes is gr.themes.sizes
    for name in GRADIO_6_31_COLORS:
        assert len(set(getattr(gr.themes.colors, name).expand())) == 11, name
    for name in GRADIO_6_31_SIZES:
        assert getattr(gr.themes.sizes, name).name == name


@pytest.mark.parametrize("name", sorted(GRADIO_6_31_DEFAULTS))
def test_each_theme_class_takes_gradios_arguments(name: str) -> None:
    cls = getattr(gr.themes, name)
    assert set(inspect.signature(cls).parameters) == GRADIO_6_31_THEME_ARGUMENTS
    theme = cls()
    primary, secondary, neutral, text, spacing, radius = GRADIO_6_31_DEFAULTS[name]
    assert (theme.primary_hue.name, theme.secondary_hue.name, theme.neutral_hue.name) == (
        primary, secondary, neutral,
    )  # fmt: skip
    assert (theme.text_size.name, theme.spacing_size.name, theme.radius_size.name) == (
        text, spacing, radius,
    )  # fmt: skip
    assert theme.name == name.lower() and not theme.customized
    built = cls(
        primary_hue=gr.themes.colors.rose, secondary_hue="teal", neutral_hue="slate",
        text_size="lg", spacing_size=gr.themes.sizes.spacing_sm, radius_size="radius_lg",
        font=[gr.themes.GoogleFont("Inter"), "sans-serif"], font_mono=gr.themes.Font("Fira Code"),
    )  # fmt: skip
    assert built.customized and built.text_size is gr.themes.sizes.text_lg
    assert built.font == (gr.themes.GoogleFont("Inter"), gr.themes.Font("sans-serif"))
    assert built.set(body_text_color="*neutral_900") is built


def test_fonts_are_kept_without_downloading() -> None:
    google = gr.themes.GoogleFont("Inter", weights=(400, 700))
    assert google.weights == (400, 700) and str(google) == "'Inter'"
    assert str(gr.themes.Font("sans-serif")) == "sans-serif"
    assert google.stylesheet() == {"url": None, "css": None}
    assert gr.themes.LocalFont("Lora") != gr.themes.GoogleFont("Lora")


def test_to_dict_and_from_dict_keep_the_variables() -> None:
    theme = gr.themes.Soft().set(body_text_color="#111111")
    again = gr.themes.Base.from_dict(theme.to_dict())
    assert again.variables == {"body_text_color": "#111111"}


def test_from_hub_warns_and_gives_the_default_theme() -> None:
    with pytest.warns(UserWarning, match="'someone/pretty' is not a built-in Gradio theme.*Hub"):
        theme = gr.Theme.from_hub("someone/pretty")
    assert isinstance(theme, gr.themes.Base) and not theme.customized
