"""A history message's content reads both as the guide shows it (a string; a file as the
one-element tuple ``(path,)``) and as Gradio 6.31 passes it in the browser (a list of typed
parts), for every way apps of either kind read it."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import openai

from backend.chat.history_content import FileContent, FilePart, Text, file_content
from tests.model_server import model_server

PART = {"type": "text", "text": "Hello there"}


def gradio6_text(content: Any) -> str:
    """How Gradio 6 apps read a message's text."""
    return "".join(part["text"] for part in content if part["type"] == "text")


def test_text_is_a_str_for_every_string_use() -> None:
    text = Text("Hello there")
    assert isinstance(text, str)
    assert text == "Hello there" and "Hello there" == text  # noqa: SIM300 - both sides
    assert hash(text) == hash("Hello there") and {str(text): 1}["Hello there"] == 1
    assert "Hello there" in {text}
    assert text.lower() == "hello there" and text.split() == ["Hello", "there"]
    assert f"<{text}>" == "<Hello there>" and text + "!" == "Hello there!"
    assert len(text) == 11  # the string's length, not the number of parts
    assert "there" in text and "bye" not in text
    assert text[1] == "e" and text[:5] == "Hello" and type(text[:5]) is str
    assert text.startswith("Hello") and text.encode() == b"Hello there"
    assert str(text) == "Hello there" and type(str(text)) is str
    assert repr(text) == "'Hello there'"
    assert json.dumps({"content": text}) == '{"content": "Hello there"}'


def test_text_reads_as_gradio_6_parts() -> None:
    text: Any = Text("Hello there")
    assert list(text) == [PART] and list(reversed(text)) == [PART]
    assert gradio6_text(text) == "Hello there"
    assert text[0] == PART and text[-1] == PART and text[0]["text"] == "Hello there"
    assert text == [PART] and [PART] == text  # noqa: SIM300 - both sides
    assert text != [{"type": "text", "text": "other"}] and text != "other"
    assert PART in text
    assert [part.get("type") for part in text] == ["text"]
    # A part is a fresh dict: an app that changes it changes nothing else.
    text[0]["text"] = "changed"
    assert text[0] == PART and str(text) == "Hello there"


def test_file_content_is_the_guides_one_element_tuple(tmp_path: Path) -> None:
    path = tmp_path / "cat.png"
    path.write_bytes(b"png")
    content = file_content(str(path), name="cat.png", size=3, mime="image/png", url="/x")
    assert isinstance(content, tuple) and len(content) == 1
    assert content == (str(path),) and content[0] == str(path)
    assert isinstance(content[0], str) and content[0].endswith(".png")
    with open(content[0], "rb") as opened:
        assert opened.read() == b"png"
    assert Path(content[0]).name == "cat.png" and content[0][-4:] == ".png"
    assert json.dumps(content) == json.dumps([str(path)])
    assert "cat" in content[0]


def test_file_content_reads_as_a_gradio_6_file_part(tmp_path: Path) -> None:
    path = str(tmp_path / "cat.png")
    content = file_content(path, name="cat.png", size=3, mime="image/png", url="/api/files/i")
    (part,) = content
    assert part["type"] == "file" and part.get("type") == "file"
    assert part["file"] == {
        "path": path,
        "url": "/api/files/i",
        "size": 3,
        "orig_name": "cat.png",
        "mime_type": "image/png",
        "is_stream": False,
        "meta": {"_type": "gradio.FileData"},
    }
    assert part["file"]["path"] == path and part.get("alt_text") is None
    assert part.get("text") is None and part.get("text", "") == ""
    assert dict(part) == {"type": "file", "file": part["file"], "alt_text": None}
    assert set(part.keys()) == {"type", "file", "alt_text"}
    assert "file" in part and "type" in part and "text" not in part
    assert gradio6_text(content) == ""
    # Changing what the app read changes nothing kept.
    part["file"]["path"] = "/elsewhere"
    assert part["file"]["path"] == path


def test_copies_pickles_and_json_round_trips(tmp_path: Path) -> None:
    text = Text("hi")
    content = file_content(str(tmp_path / "a.txt"), name="a.txt", size=1, mime="text/plain")
    for copied in (copy.copy(text), copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert type(copied) is Text and copied == "hi" and list(copied) == [text[0]]
    for copied_file in (copy.deepcopy(content), pickle.loads(pickle.dumps(content))):
        assert type(copied_file) is FileContent and type(copied_file[0]) is FilePart
        assert copied_file == content and copied_file[0]["file"] == content[0]["file"]
    history = [{"role": "user", "content": text}, {"role": "user", "content": content}]
    assert json.loads(json.dumps(history)) == [
        {"role": "user", "content": "hi"},
        {"role": "user", "content": [str(tmp_path / "a.txt")]},
    ]


def test_the_openai_package_sends_it_as_plain_strings() -> None:
    history: list[Any] = [
        {"role": "user", "content": Text("hi")},
        {"role": "assistant", "content": Text("yo")},
    ]
    with model_server() as server:
        client = openai.OpenAI(api_key="k", base_url=server.url)
        client.chat.completions.create(
            model="m", messages=[*history, {"role": "user", "content": "q"}]
        )
        client.close()
    assert server.requests[0]["body"]["messages"] == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "yo"},
        {"role": "user", "content": "q"},
    ]
