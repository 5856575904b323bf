from __future__ import annotations

import re

import pytest

import backend as gr
from backend.components.themes.choice import check_theme
from backend.components.themes.palettes import NAMES, theme_config

GUIDE_THEMES = {"default", "base", "soft", "monochrome", "glass", "ocean", "origin", "citrus"}


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_gradio_theme_has_a_palette() -> None:
    assert GUIDE_THEMES <= set(NAMES)
    assert check_theme("Ocean") == "ocean" and check_theme("gradio/soft") == "soft"
    assert check_theme(None) is None and theme_config(None) is None


@pytest.mark.parametrize("name", sorted(GUIDE_THEMES))
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_palettes_are_valid_and_readable(name: str, mode: str) -> None:
    config = theme_config(name)
    assert config is not None
    palette = config[mode]
    for key, value in palette.items():
        pattern = r"^\d+px$" if key == "radius" else r"^#[0-9a-f]{6}$"
        assert re.match(pattern, value), (key, value)
    assert contrast(palette["on_primary"], palette["primary"]) >= 4.5
    assert contrast(palette["text"], palette["background"]) >= 4.5
    assert contrast(palette["text"], palette["surface"]) >= 4.5
    assert contrast(palette["muted"], palette["background"]) >= 4.5


def test_bad_theme_values() -> None:
    with pytest.raises(TypeError, match=r"theme must be a Gradio theme \(gr.themes.Soft"):
        check_theme(object())


def readable(palette: dict[str, str]) -> None:
    for key, value in palette.items():
        pattern = r"^\d+px$" if key == "radius" else r"^#[0-9a-f]{6}$"
        assert re.match(pattern, value), (key, value)
    assert contrast(palette["on_primary"], palette["primary"]) >= 4.5, palette
    assert contrast(palette["text"], palette["background"]) >= 4.5, palette
    assert contrast(palette["text"], palette["surface"]) >= 4.5, palette
    assert contrast(palette["muted"], palette["background"]) >= 4.5, palette


def test_a_theme_class_as_it_comes_has_its_names_palette() -> None:
    for name in GUIDE_THEMES:
        theme = check_theme(name)
        classy = getattr(gr.themes, name.title())()
        assert theme_config(classy) == theme_config(theme)


@pytest.mark.parametrize("hue", gr.themes.colors.__all__[1:])
@pytest.mark.parametrize("neutral", ["slate", "zinc", "stone"])
def test_any_hue_gives_a_readable_palette(hue: str, neutral: str) -> None:
    config = theme_config(gr.themes.Base(primary_hue=hue, neutral_hue=neutral))
    assert config is not None and config["name"] == "base"
    readable(config["light"])
    readable(config["dark"])
    assert config["light"]["primary"] in getattr(gr.themes.colors, hue).expand()
    assert config["light"]["surface"] == getattr(gr.themes.colors, neutral).c100


@pytest.mark.parametrize("name", ["cyberpunk", "ember", "mario", "neon"])
def test_the_newer_themes_are_worked_out_from_their_hues(name: str) -> None:
    config = theme_config(check_theme(name))
    assert config is not None and config["name"] == name
    readable(config["light"])
    readable(config["dark"])


def test_hues_and_sizes_by_object_or_name() -> None:
    colors, sizes = gr.themes.colors, gr.themes.sizes
    by_object = gr.themes.Soft(primary_hue=colors.emerald, radius_size=sizes.radius_none)
    by_name = gr.themes.Soft(primary_hue="Emerald", radius_size="none")
    assert theme_config(by_object) == theme_config(by_name)
    config = theme_config(by_name)
    assert config is not None
    assert config["light"]["primary"] == colors.emerald.c700  # c600 is too light for white
    assert config["light"]["radius"] == config["dark"]["radius"] == "0px"
    custom = gr.themes.Color(*[f"#0000{i:02x}" for i in range(10, 120, 10)])
    config = theme_config(gr.themes.Base(primary_hue=custom))
    assert config is not None and config["light"]["primary"] == "#000046"
    with pytest.raises(ValueError, match="a theme hue must be a gr.themes.Color or one of amber"):
        gr.themes.Base(primary_hue="mauve")
    with pytest.raises(ValueError, match="a theme radius size must be .* radius_lg"):
        gr.themes.Base(radius_size="huge")


def test_set_variables_go_over_the_palette() -> None:
    theme = gr.themes.Default(primary_hue="blue").set(
        button_primary_background_fill="*primary_800",
        button_primary_background_fill_dark="#ABC",
        button_primary_text_color="white",
        body_background_fill="*neutral_50",
        background_fill_secondary="*body_background_fill",
        body_text_color_dark="*neutral_200",
        block_radius="*radius_xxl",
        error_text_color="#990000",
        link_text_color="*secondary_600",  # no counterpart in the bubble: kept, unused
    )
    assert theme.button_primary_text_color == "white" and theme.link_text_color == "*secondary_600"
    config = theme_config(theme)
    assert config is not None
    light, dark = config["light"], config["dark"]
    assert light["primary"] == gr.themes.colors.blue.c800 and light["on_primary"] == "#ffffff"
    assert dark["primary"] == "#aabbcc"
    assert light["background"] == light["surface"] == gr.themes.colors.zinc.c50
    assert dark["text"] == gr.themes.colors.zinc.c200
    assert light["radius"] == dark["radius"] == "22px"  # radius_md's xxl; no dark variant
    assert light["danger"] == "#990000" and dark["danger"] != "#990000"


def test_a_variable_the_bubble_cannot_show_warns_and_is_ignored() -> None:
    theme = gr.themes.Soft().set(body_background_fill="linear-gradient(red, blue)")
    with pytest.warns(UserWarning, match="body_background_fill=.*linear-gradient.* ignored"):
        config = theme_config(theme)
    assert config is not None and config["light"]["background"] == "#ffffff"
    with pytest.raises(TypeError, match=r"Soft.set\(\) got an unexpected argument 'Not-A-Var'"):
        gr.themes.Soft().set(**{"Not-A-Var": "#fff"})
    with pytest.raises(TypeError, match="theme variable body_text_color must be a string"):
        gr.themes.Soft().set(body_text_color=3)
