from __future__ import annotations

from backend.chat.answers import text_part
from backend.chat.replies import PartMaker
from backend.chat.thoughts import split_thoughts

THINK = (("<think>", "</think>"),)


def test_text_parts_with_tags_are_split_into_thoughts_and_answer() -> None:
    parts = split_thoughts([text_part("<think>Hmm</think>Yes")], THINK)
    assert parts == [
        {"type": "text", "text": "Hmm", "metadata": {"title": "Reasoning", "status": "done"}},
        {"type": "text", "text": "Yes"},
    ]


def test_texts_without_tags_steps_and_other_parts_stay_as_they_are() -> None:
    step = {"type": "text", "text": "<think>x", "metadata": {"title": "Tool"}}
    html = {"type": "html", "html": "<think>x"}
    untouched = [text_part("  no tags here "), step, html]
    assert split_thoughts(untouched, THINK) == untouched
    assert split_thoughts([text_part("<think>x")], ()) == [text_part("<think>x")]


def test_options_stay_with_the_answer_text() -> None:
    part = {"type": "text", "text": "<think>a</think>Pick one", "options": [{"value": "A"}]}
    assert split_thoughts([part], THINK)[1] == {**part, "text": "Pick one"}


async def test_the_part_maker_splits_only_when_asked() -> None:
    assert await PartMaker(None, "").parts("<think>a") == [text_part("<think>a")]
    assert await PartMaker(None, "", reasoning=THINK).parts("<think>a") == [
        {"type": "text", "text": "a", "metadata": {"title": "Reasoning", "status": "pending"}}
    ]
