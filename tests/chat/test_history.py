"""The history a chat function receives: openai-style messages (the default), or Gradio 4's
``[user, bot]`` pairs for ``type="tuples"``, each built fresh for every call."""

from __future__ import annotations

from pathlib import Path

from backend.chat.history import Turn, history_for_fn
from backend.chat.history_content import FileContent, Text
from backend.files.store import StoredFile


def stored(tmp_path: Path, name: str) -> StoredFile:
    path = tmp_path / name
    path.write_bytes(b"x")
    return StoredFile("A" * 43, name, 1, "image/png", "image", path, 0.0)


def test_messages_keep_role_and_content_only(tmp_path: Path) -> None:
    cat = stored(tmp_path, "cat.png")
    turns: list[Turn] = [("user", cat), ("user", "what is it?"), ("assistant", "a cat")]
    history = history_for_fn(turns)
    assert history == [
        {"role": "user", "content": (str(cat.path),)},
        {"role": "user", "content": "what is it?"},
        {"role": "assistant", "content": "a cat"},
    ]
    assert [set(message) for message in history] == [{"role", "content"}] * 3
    assert history[0].get("metadata") is None
    file = history[0]["content"]
    assert isinstance(file, FileContent) and isinstance(history[1]["content"], Text)
    assert file[0]["file"] == {
        "path": str(cat.path),
        "url": "/api/files/" + "A" * 43,
        "size": 1,
        "orig_name": "cat.png",
        "mime_type": "image/png",
        "is_stream": False,
        "meta": {"_type": "gradio.FileData"},
    }
    # Each call gets a fresh list: what the function changes is not kept.
    history.append({"role": "user", "content": "x"})
    assert len(history_for_fn(turns)) == 3


def test_tuples_pair_each_text_with_its_answer_as_gradio_4(tmp_path: Path) -> None:
    cat, dog = stored(tmp_path, "cat.png"), stored(tmp_path, "dog.png")
    turns: list[Turn] = [
        ("user", "hi"),
        ("assistant", "hello"),
        ("user", cat),
        ("user", dog),
        ("user", "and these?"),
        ("assistant", "two pets"),
        ("assistant", "anything else?"),
        ("user", cat),
        ("assistant", "the cat again"),
        ("user", "unanswered"),
    ]
    assert history_for_fn(turns, "tuples") == [
        ["hi", "hello"],
        [(str(cat.path),), None],
        [(str(dog.path),), None],
        ["and these?", "two pets"],
        [None, "anything else?"],
        [(str(cat.path),), None],
        [None, "the cat again"],
        ["unanswered", None],
    ]
    assert history_for_fn([], "tuples") == []
    pairs = history_for_fn(turns, "tuples")
    assert all(type(pair) is list and len(pair) == 2 for pair in pairs)
