"""``feedback_comments``: a thumbs-down may come again with the visitor's comment, which goes on
the stored thumbs-down (plain text, size-limited); the Gradio CSV keeps its columns and its one
row, the ``.like`` listeners run once; every bad comment is a clear 4xx."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from quart.typing import TestClientProtocol as Client

import backend as gr
from backend import Settings, create_app
from backend.http.feedback_request import MAX_COMMENT_CHARS, clean_comment
from backend.storage.feedback import HEADER
from backend.storage.store import open_store
from tests.helpers import answer_text, parse_events

SESSION = "conv_comments1"
VISITOR = "v_comments1"


def make(tmp_path: Path, likes: list[str], **settings: Any) -> Any:
    def liked(data: gr.LikeData) -> None:
        likes.append(str(data.liked))

    with gr.Blocks():
        chat = gr.ChatInterface(
            lambda m, h: f"About {m}", flagging_mode="manual", flagging_dir=tmp_path / "flags"
        )
        chat.chatbot.like(liked, None, None)
    return create_app(chat, Settings.from_mapping({"flush_interval": 0, **settings}))


async def answered(client: Client) -> tuple[str, list[dict[str, str]]]:
    response = await client.post(
        "/api/chat", json={"message": "prices", "history": [], "session": SESSION}
    )
    events = parse_events(await response.get_data(as_text=False))
    conversation = [
        {"role": "user", "content": "prices"},
        {"role": "assistant", "content": answer_text(events)},
    ]
    return str(events[-1].data["id"]), conversation


async def flag(client: Client, answer_id: str, conversation: Any, **more: Any) -> Any:
    body = {
        "id": answer_id,
        "conversation": conversation,
        "flag": "Dislike",
        "visitor": VISITOR,
        "conversation_id": SESSION,
        **more,
    }
    response = await client.post(
        "/api/feedback", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    return response.status_code, await response.get_json()


async def test_a_comment_goes_on_the_thumbs_down(tmp_path: Path) -> None:
    likes: list[str] = []
    app = make(tmp_path, likes, feedback_comments=True)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        config = await (await client.get("/api/config")).get_json()
        assert config["flagging"]["comments"] is True
        answer_id, conversation = await answered(client)
        assert await flag(client, answer_id, conversation) == (200, {"ok": True})
        words = "The price is wrong:\r\n\u202eit says €12\u0007 \t(should be €10)"
        assert await flag(client, answer_id, conversation, comment=words) == (200, {"ok": True})
    store = open_store("", tmp_path / "flags")
    try:
        found = await store.transcript(SESSION)
    finally:
        await store.close()
    assert found is not None
    assert [(f.flag, f.comment) for f in found.feedback] == [
        ("Dislike", "The price is wrong:\nit says €12  (should be €10)")
    ]
    assert likes == ["False"]  # the listener ran for the thumbs-down, not for its comment
    with (tmp_path / "flags" / "log.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    # Gradio's columns, unchanged, and the one row of the thumbs-down.
    assert tuple(rows[0]) == HEADER
    assert len(rows) == 2 and "wrong" not in json.dumps(rows)


@pytest.mark.parametrize(
    ("settings", "more", "says"),
    [
        ({}, {"comment": "hi"}, "not enabled"),
        ({"feedback_comments": True}, {"comment": 12}, "must be text"),
        ({"feedback_comments": True}, {"comment": "x" * (MAX_COMMENT_CHARS + 1)}, "too long"),
        ({"feedback_comments": True}, {"comment": "great", "flag": "Like"}, "thumbs-down"),
    ],
    ids=["off", "not-text", "too-long", "with-like"],
)
async def test_bad_comments_are_refused(
    tmp_path: Path, settings: dict[str, Any], more: dict[str, Any], says: str
) -> None:
    async with make(tmp_path, [], **settings).test_app() as test_app:
        client = test_app.test_client()
        answer_id, conversation = await answered(client)
        status, body = await flag(client, answer_id, conversation, **more)
    assert status == 422 and body["code"] == "invalid_request" and says in body["error"]


def test_clean_comment_keeps_text_and_line_breaks_only() -> None:
    assert clean_comment("  a\r\nb\rc\u2066d\u0000e\u200bf  ") == "a\nb\ncd" + "e\u200bf"
    assert clean_comment("<b>bold</b> & 'quotes'") == "<b>bold</b> & 'quotes'"  # text, as is
