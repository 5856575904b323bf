"""Every argument of the components ChatInterface apps pass is accepted: Gradio 6.31's
signatures, pinned here (taken from a real Gradio 6.31 install), each component built with a
value other than the default for every argument."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import warnings
from typing import Any

import pytest

import backend as gr
from tests.waiting import LIVENESS


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Gradio 6.31.0's constructor parameters, in order (``inspect.signature``, without ``self``).
PINNED: dict[str, tuple[str, ...]] = {
    "Textbox": _names(
        "value type lines max_lines placeholder label info every inputs show_label container "
        "scale min_width interactive visible elem_id autofocus autoscroll elem_classes render "
        "key preserved_by_key text_align rtl buttons max_length submit_btn stop_btn "
        "html_attributes"
    ),
    "MultimodalTextbox": _names(
        "value sources file_types file_count lines max_lines placeholder label info every "
        "inputs show_label container scale min_width interactive visible elem_id autofocus "
        "autoscroll elem_classes render key preserved_by_key text_align rtl submit_btn stop_btn "
        "max_plain_text_length html_attributes"
    ),
    "Slider": _names(
        "minimum maximum value step precision label info every inputs show_label container "
        "scale min_width interactive visible elem_id elem_classes render key preserved_by_key "
        "randomize buttons"
    ),
    "Dropdown": _names(
        "choices value type multiselect allow_custom_value max_choices num_choices_shown "
        "filterable label info every inputs show_label container scale min_width interactive "
        "visible elem_id elem_classes render key preserved_by_key buttons"
    ),
    "Checkbox": _names(
        "value label info every inputs show_label container scale min_width interactive visible "
        "elem_id elem_classes render key preserved_by_key buttons"
    ),
    "Radio": _names(
        "choices value type label info every inputs show_label container scale min_width "
        "interactive visible elem_id elem_classes render key preserved_by_key rtl buttons"
    ),
    "Number": _names(
        "value label placeholder info every inputs show_label container scale min_width "
        "interactive visible elem_id elem_classes render key preserved_by_key buttons precision "
        "minimum maximum step"
    ),
    "Image": _names(
        "value format height width image_mode sources type label every inputs show_label "
        "buttons container scale min_width interactive visible streaming elem_id elem_classes "
        "render key preserved_by_key webcam_options placeholder watermark alt_text"
    ),
    "File": _names(
        "value file_count file_types type label every inputs show_label container scale "
        "min_width height interactive visible elem_id elem_classes render key preserved_by_key "
        "allow_reordering buttons"
    ),
    "Audio": _names(
        "value sources type label every inputs show_label container scale min_width interactive "
        "visible streaming elem_id elem_classes render key preserved_by_key format autoplay "
        "editable buttons waveform_options loop recording subtitles playback_position"
    ),
    "Button": _names(
        "value every inputs variant size icon link link_target visible interactive elem_id "
        "elem_classes render key preserved_by_key scale min_width"
    ),
    "Markdown": _names(
        "value label every inputs show_label scale min_width rtl latex_delimiters visible "
        "elem_id elem_classes render key preserved_by_key sanitize_html line_breaks "
        "header_links height max_height min_height buttons container padding"
    ),
    "CheckboxGroup": _names(
        "choices value type label info every inputs show_label show_select_all container scale "
        "min_width interactive visible elem_id elem_classes render key preserved_by_key buttons"
    ),
    "LoginButton": _names(
        "value logout_value every inputs variant size icon link link_target visible interactive "
        "elem_id elem_classes render key preserved_by_key scale min_width"
    ),
    "ClearButton": _names(
        "components value every inputs variant size icon link link_target visible interactive "
        "elem_id elem_classes render key preserved_by_key scale min_width api_name "
        "api_visibility"
    ),
}

# A value other than Gradio's default, for each argument name ...
COMMON: dict[str, Any] = {
    "lines": 3, "max_lines": 6, "placeholder": "Type here", "label": "Label", "info": "Info",
    "every": 2.0, "inputs": [], "show_label": False, "container": False, "scale": 2,
    "min_width": 100, "interactive": False, "visible": False, "elem_id": "the-id",
    "autofocus": True, "autoscroll": False, "elem_classes": ["cls"], "render": False,
    "key": "k", "preserved_by_key": ["value", "label"], "text_align": "right", "rtl": True,
    "buttons": ["copy"], "max_length": 50, "submit_btn": "Go", "stop_btn": "Halt",
    "html_attributes": {"autocorrect": "off"}, "file_types": [".pdf"], "file_count": "multiple",
    "max_plain_text_length": 500, "minimum": 1, "maximum": 9, "step": 0.5, "precision": 1,
    "randomize": True, "choices": ["a", "b"], "multiselect": False, "allow_custom_value": True,
    "max_choices": 2, "num_choices_shown": 5, "filterable": False, "format": "png",
    "height": 100, "width": 120, "image_mode": "L", "streaming": True,
    "webcam_options": {"mirror": False}, "watermark": "mark.png", "alt_text": "A picture",
    "allow_reordering": True, "autoplay": True, "editable": False,
    "waveform_options": {"show_recording_waveform": False}, "loop": True, "recording": True,
    "subtitles": "captions.vtt", "playback_position": 1.5, "variant": "primary", "size": "sm",
    "icon": "icon.png", "link": "https://example.com/", "link_target": "_blank",
    "latex_delimiters": [{"left": "$", "right": "$", "display": False}],
    "sanitize_html": False, "line_breaks": True, "header_links": True, "max_height": 300,
    "min_height": 50, "padding": True, "show_select_all": True, "logout_value": "Bye {}",
    "components": [], "api_name": "wipe", "api_visibility": "private",
}  # fmt: skip
# ... and the ones that differ by component.
SPECIFIC: dict[str, dict[str, Any]] = {
    "Textbox": {"value": "hello", "type": "password"},
    "MultimodalTextbox": {"value": {"text": "hello", "files": []},
                          "sources": ["microphone"], "submit_btn": False, "stop_btn": True},
    "Slider": {"value": 3, "step": 1, "precision": 0},
    "Dropdown": {"value": "b", "type": "index"},
    "Checkbox": {"value": True},
    "Radio": {"value": "b", "type": "index"},
    "Number": {"value": 3, "precision": 0, "step": 2, "minimum": 0, "maximum": 10},
    "Image": {"value": "https://example.com/a.png", "sources": ["webcam"], "type": "pil"},
    "File": {"value": "https://example.com/a.pdf", "type": "binary"},
    "Audio": {"value": "https://example.com/a.mp3", "sources": ["microphone"],
              "type": "filepath", "format": "mp3"},
    "Button": {"value": "Go"},
    "Markdown": {"value": "# Hi"},
    "CheckboxGroup": {"value": ["b"], "type": "index"},
    "LoginButton": {"value": "Sign in"},
    "ClearButton": {"value": "Wipe"},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PINNED))
def test_every_argument_is_accepted(name: str) -> None:
    arguments = {arg: {**COMMON, **SPECIFIC[name]}[arg] for arg in PINNED[name]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LoginButton's one warning; tested elsewhere
        with gr.Blocks():
            component = getattr(gr, name)(**arguments)
    assert component is not None


@pytest.mark.parametrize("name", sorted(PINNED))
def test_our_signature_takes_each_pinned_argument_by_name(name: str) -> None:
    parameters = inspect.signature(getattr(gr, name)).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    named = [arg for arg in PINNED[name] if arg in parameters]
    assert takes_any or len(named) == len(PINNED[name])


#: A python with ``gradio`` installed (never our dependency), for the comparison below.
GRADIO_PYTHON = os.environ.get("CHATBUBBLE_GRADIO_PYTHON")
READ_SIGNATURES = (
    "import inspect, json, sys, gradio\n"
    "names = json.loads(sys.argv[1])\n"
    "print(json.dumps({n: list(inspect.signature(getattr(gradio, n).__init__).parameters)[1:]"
    " for n in names}))\n"
)


@pytest.mark.skipif(
    not GRADIO_PYTHON, reason="set CHATBUBBLE_GRADIO_PYTHON to a python with gradio installed"
)
def test_the_pinned_signatures_are_gradios() -> None:  # pragma: no cover - needs gradio
    assert GRADIO_PYTHON is not None
    done = subprocess.run(
        [GRADIO_PYTHON, "-c", READ_SIGNATURES, json.dumps(sorted(PINNED))],
        capture_output=True,
        text=True,
        check=True,
        timeout=LIVENESS,
    )
    real = json.loads(done.stdout.strip().splitlines()[-1])
    for name, names in PINNED.items():
        assert tuple(real[name]) == names, name
