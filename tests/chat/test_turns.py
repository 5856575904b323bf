"""What a turn does besides running the chat function (backend/chat/turns.py): the cached answer
that stands in for a run, and what a finished answer leaves behind."""

from __future__ import annotations

from pathlib import Path

from backend.chat.answers import Content, text_part
from backend.chat.message_ids import MessageSigner
from backend.chat.turns import cached_answer, finisher
from tests.chat.test_examples import app

SIGNER = MessageSigner(b"k" * 32)
BEFORE: list[tuple[str, Content]] = [("user", "Am I cool?")]


def test_a_cached_example_stands_in_for_a_run(tmp_path: Path) -> None:
    interface = app(tmp_path, extra="cache_mode='lazy',")
    assert interface.example_cache is not None
    assert cached_answer(interface, 1) is None  # not cached yet
    interface.example_cache.store(1, "Yes")
    assert cached_answer(interface, 1) == "Yes"
    assert cached_answer(interface, None) is None  # not an example
    assert cached_answer(interface, 0) is None


def test_no_cached_answer_when_the_function_fills_outputs(tmp_path: Path) -> None:
    interface = app(tmp_path, extra="cache_mode='lazy', additional_outputs=[gr.Code()],")
    assert interface.example_cache is not None
    interface.example_cache.store(1, "Yes")
    assert cached_answer(interface, 1) is None


def test_a_whole_answer_to_an_example_is_cached_once(tmp_path: Path) -> None:
    interface = app(tmp_path, extra="cache_mode='lazy',")
    cache = interface.example_cache
    assert cache is not None
    finisher(interface, 2, None, lambda: [])([text_part("cut")], False)
    assert cache.get(2) is None  # cut at max_answer_chars: not the answer
    assert finisher(interface, 2, None, lambda: [])([text_part("No")], True) == {}
    assert cache.get(2) == "No"
    finisher(interface, 2, None, lambda: [])([text_part("Maybe")], True)
    assert cache.get(2) == "No"
    finisher(interface, None, None, lambda: [])([text_part("Hi")], True)
    assert cache.get(0) is None


def test_the_done_event_signs_the_conversation(tmp_path: Path) -> None:
    interface = app(tmp_path, extra="cache_mode='lazy',")
    asked: list[int] = []

    def conversation() -> list[tuple[str, Content]]:
        asked.append(1)
        return list(BEFORE)

    finish = finisher(interface, None, SIGNER, conversation)
    assert asked == []  # worked out only once the answer is done
    done = finish([text_part("Yes")], True)
    assert asked == [1]
    assert SIGNER.verify(done["id"], [*BEFORE, ("assistant", "Yes")])
    assert not SIGNER.verify(done["id"], [*BEFORE, ("assistant", "No")])
