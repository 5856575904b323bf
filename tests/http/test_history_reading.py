"""The history a chat function receives through ``/api/chat`` and ``/v1``: an app written for
Gradio 6 (content as typed parts) and one written from the guide (strings, ``(path,)`` files)
both read it, and ``type="tuples"`` gets Gradio 4's pairs."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

from quart import Quart

import backend as gr
from backend import Settings, create_app
from tests.helpers import answer_text, parse_events

PNG = (Path(__file__).parent.parent / "e2e" / "apps" / "media" / "checker.png").read_bytes()
History = list[dict[str, Any]]


def gradio6_reader(message: Any, history: History) -> str:
    """Written for Gradio 6: every content is a list of typed parts."""
    seen = []
    for entry in history:
        text = "".join(p["text"] for p in entry["content"] if p["type"] == "text")
        files = [Path(p["file"]["path"]).name for p in entry["content"] if p["type"] == "file"]
        seen.append(f"{entry['role']}:{text}{files if files else ''}")
    first = history[0]["content"][0].get("text", "-") if history else "-"
    text = message["text"] if isinstance(message, dict) else message
    return f"{text} | {' / '.join(seen)} | first={first}"


def guide_reader(message: Any, history: History) -> str:
    """Written from the guide: strings, and ``(path,)`` for a file."""
    texts = [m["content"].upper() for m in history if isinstance(m["content"], str)]
    files = [Path(m["content"][0]).name for m in history if isinstance(m["content"], tuple)]
    return f"{' '.join(texts)} | {files}"


def app(fn: Any, **interface: Any) -> Quart:
    settings = Settings.from_mapping({"flush_interval": 0.0, "upload_dir": "/tmp/unused"})
    return create_app(gr.ChatInterface(fn, **interface), settings)


async def ask(app_: Quart, body: dict[str, Any]) -> str:
    async with app_.test_app() as test_app:
        client = test_app.test_client()
        response = await client.post(
            "/api/chat", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        data = await response.get_data(as_text=False)
        assert response.status_code == 200, data
        return answer_text(parse_events(data))


TWO_TURNS = {
    "message": "third",
    "history": [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "one"},
        {"role": "user", "content": "second"},
        {"role": "assistant", "content": "two"},
    ],
}


async def test_a_gradio_6_app_reads_typed_parts_from_the_widgets_history() -> None:
    answer = await ask(app(gradio6_reader), TWO_TURNS)
    assert (
        answer == "third | user:first / assistant:one / user:second / assistant:two | first=first"
    )


async def test_a_guide_app_reads_strings_from_the_same_history() -> None:
    assert await ask(app(guide_reader), TWO_TURNS) == "FIRST ONE SECOND TWO | []"


async def test_files_read_both_ways(tmp_path: Path) -> None:
    settings = Settings.from_mapping({"flush_interval": 0.0, "upload_dir": str(tmp_path)})
    for fn, expected in (
        # The history starts with a file message: its first part is a file part (no text).
        (gradio6_reader, "look | user:['cat.png'] / user:what? / assistant:a cat | first=-"),
        (guide_reader, "WHAT? A CAT | ['cat.png']"),
    ):
        quart = create_app(gr.ChatInterface(fn, multimodal=True), settings)
        async with quart.test_app() as test_app:
            client = test_app.test_client()
            response = await client.post(
                "/api/upload", query_string={"name": "cat.png"}, data=PNG,
                headers={"Content-Type": "image/png"},
            )  # fmt: skip
            file_id = (await response.get_json())["id"]
        body = {
            "message": {"text": "look", "files": []},
            "history": [
                {"role": "user", "content": {"file": file_id}},
                {"role": "user", "content": "what?"},
                {"role": "assistant", "content": "a cat"},
            ],
        }
        assert await ask(quart, body) == expected


async def test_the_v1_api_gives_the_same_content() -> None:
    messages = [
        {"role": "system", "content": "be terse"},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": [{"type": "text", "text": "one"}]},
        {"role": "user", "content": "again"},
    ]
    for fn, expected in (
        (gradio6_reader, "again | user:first / assistant:one | first=first"),
        (guide_reader, "FIRST ONE | []"),
    ):
        async with app(fn).test_app() as test_app:
            response = await test_app.test_client().post(
                "/v1/chat/completions",
                data=json.dumps({"model": "m", "messages": messages}),
                headers={"Content-Type": "application/json"},
            )
            body = await response.get_json()
        assert response.status_code == 200
        assert body["choices"][0]["message"]["content"] == expected


async def test_type_tuples_gets_gradio_4_pairs() -> None:
    seen: list[Any] = []

    def gradio4(message: str, history: list[list[str | None]]) -> str:
        seen.append(history)
        return " ".join(f"[{user}->{bot}]" for user, bot in history)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        quart = app(gradio4, type="tuples")
    assert await ask(quart, TWO_TURNS) == "[first->one] [second->two]"
    assert seen == [[["first", "one"], ["second", "two"]]]
