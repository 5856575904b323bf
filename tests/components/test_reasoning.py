from __future__ import annotations

import pytest

import backend as gr
from backend.components.reasoning import Segment, reasoning_tags, split_reasoning

THINK = (("<think>", "</think>"),)


def test_no_tags_by_default_as_in_gradio() -> None:
    assert gr.Chatbot().reasoning_tags == ()
    pairs: list[object] = [("<think>", "</think>"), ["<t>", "</t>"]]  # a list works too
    tags = gr.Chatbot(reasoning_tags=pairs).reasoning_tags  # type: ignore[arg-type]
    assert tags == (("<think>", "</think>"), ("<t>", "</t>"))


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("plain", [Segment("plain", None)]),
        ("<think>", [Segment("", "pending")]),
        ("<think>Let me see", [Segment("Let me see", "pending")]),
        ("<think> hmm </think>", [Segment("hmm", "done")]),
        ("<think>hmm</think>\n\nYes.", [Segment("hmm", "done"), Segment("Yes.", None)]),
        (
            "So <think>a</think> b <think>c",
            [
                Segment("So", None),
                Segment("a", "done"),
                Segment("b", None),
                Segment("c", "pending"),
            ],
        ),
        ("<think></think>Answer", [Segment("Answer", None)]),
    ],
)
def test_split_reasoning_as_gradio_with_an_open_block_shown_at_once(
    text: str, segments: list[Segment]
) -> None:
    assert split_reasoning(text, THINK) == segments


def test_several_pairs() -> None:
    tags = (("<think>", "</think>"), ("[[", "]]"))
    assert split_reasoning("[[x]]y<think>z</think>", tags) == [
        Segment("x", "done"), Segment("y", None), Segment("z", "done"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("<think>", "must be a list of \\(open, close\\) pairs"),
        ([("<think>",)], "pair of non-empty strings"),
        ([("<think>", "")], "pair of non-empty strings"),
        ([("<think>", 5)], "pair of non-empty strings"),
    ],
)
def test_bad_tags_name_themselves(value: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        reasoning_tags("Chatbot()", value)
