from __future__ import annotations

import re

import pytest

from backend.components.themes import NAMES, check_theme, theme_config

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
    with pytest.raises(ValueError, match="theme must be one of"):
        check_theme("neon")
    with pytest.raises(TypeError, match="theme must be the name of a Gradio theme"):
        check_theme(object())
