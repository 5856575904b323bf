"""``backend.Client`` against real ``backend serve`` processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend import Client, ClientError
from tests.servers import free_port, running_server


@pytest.fixture(name="echo", scope="module")
def _echo() -> Iterator[str]:
    with running_server("tests/apps/history_echo.py") as base:
        yield base


@pytest.fixture(name="uploads", scope="module")
def _uploads() -> Iterator[str]:
    with running_server("tests/apps/uploads.py") as base:
        yield base


def test_chat_returns_the_answer_and_keeps_the_history(echo: str) -> None:
    client = Client(echo)
    assert client.chat("hi") == "You said: hi (0 earlier)"
    assert client.chat("again") == "You said: again (2 earlier)"
    assert client.history == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "You said: hi (0 earlier)"},
        {"role": "user", "content": "again"},
        {"role": "assistant", "content": "You said: again (2 earlier)"},
    ]
    client.reset()
    assert client.chat("fresh") == "You said: fresh (0 earlier)"


def test_stream_yields_growing_answers(echo: str) -> None:
    client = Client(echo)
    partials = list(client.stream("a longer message to stream"))
    assert len(partials) > 1
    pairs = zip(partials, partials[1:], strict=False)
    assert all(later.startswith(earlier) for earlier, later in pairs)
    assert partials[-1] == "You said: a longer message to stream (0 earlier)"
    assert len(client.history) == 2


def test_a_stopped_stream_keeps_what_came(echo: str) -> None:
    client = Client(echo)
    stream = client.stream("stop me early please")
    first = next(stream)
    stream.close()
    assert client.history == [
        {"role": "user", "content": "stop me early please"},
        {"role": "assistant", "content": first},
    ]


def test_files_go_to_a_multimodal_chat(uploads: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("hello")
    second.write_text("world!")
    client = Client(uploads)
    assert client.chat("look", files=[first]) == "look: 1 file(s), 5 bytes"
    file_id = client.history[0]["content"]["file"]
    assert client.history[1] == {"role": "user", "content": "look"}
    # The first file goes back by id in the history of the next message.
    assert client.chat("and now", files=[str(second)]) == "and now: 1 file(s), 6 bytes"
    assert client.history[0] == {"role": "user", "content": {"file": file_id}}
    assert len(client.history) == 6
    assert client.config()["multimodal"] is not None


def test_a_clients_uploads_are_its_own(uploads: str, tmp_path: Path) -> None:
    note = tmp_path / "a.txt"
    note.write_text("hello")
    owner = Client(uploads)
    owner.chat("look", files=[note])
    other = Client(uploads)
    other.history = list(owner.history)  # someone else's file ids
    with pytest.raises(ClientError) as caught:
        other.chat("and?")
    assert (caught.value.status, caught.value.code) == (400, "unknown_file")
    assert owner.chat("and?") == "and?: 0 file(s), 0 bytes"


def test_errors_are_typed(echo: str, uploads: str, tmp_path: Path) -> None:
    note = tmp_path / "a.txt"
    note.write_text("x")
    with pytest.raises(ClientError) as caught:
        Client(echo).chat("with a file", files=[note])
    assert (caught.value.status, caught.value.code) == (404, "not_found")
    with pytest.raises(ClientError) as caught:
        Client(echo).chat("x" * 20_000)
    assert (caught.value.status, caught.value.code) == (422, "invalid_request")
    assert "too long" in caught.value.message
    with pytest.raises(ClientError) as caught:
        Client(f"http://127.0.0.1:{free_port()}").chat("anyone?")
    assert (caught.value.status, caught.value.code) == (0, "connection_error")


def test_an_error_of_the_chat_function_is_typed() -> None:
    with running_server("tests/apps/failing.py") as base:
        client = Client(base)
        with pytest.raises(ClientError) as caught:
            client.chat("hi")
    assert (caught.value.status, caught.value.code) == (500, "chat_error")
    assert caught.value.message == "No answer for 'hi'."
    assert client.history == []
