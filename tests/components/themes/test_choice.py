from __future__ import annotations

import warnings

import pytest

import backend as gr
from backend.components.themes.choice import check_theme


def test_names_objects_and_none() -> None:
    assert check_theme("Ocean") == "ocean" and check_theme("gradio/soft") == "soft"
    assert check_theme(None) is None
    soft = gr.themes.Soft()
    assert check_theme(soft) is soft
    neon = check_theme("neon")
    assert isinstance(neon, gr.themes.Neon)


def test_a_hub_theme_warns_once_and_keeps_the_default_look() -> None:
    with pytest.warns(UserWarning, match="'JohnSmith/small_and_pretty' is not a built-in") as seen:
        assert check_theme("JohnSmith/small_and_pretty") is None
    assert len(seen) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_theme("JohnSmith/small_and_pretty") is None  # once
