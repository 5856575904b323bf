"""Feedback on the welcome's answers (``Chatbot(value=...)``): named by index in ``POST
/api/feedback`` (the server knows them: no signature), validated, logged and heard by
``chatbot.like`` fns with Gradio's ``LikeData``."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import backend as gr
from backend import Settings, create_app

VISITOR = "v_abcdefgh"
CONVERSATION = "c_abcdefgh"
WELCOME = [
    {"role": "assistant", "content": "Welcome!"},
    {"role": "assistant", "content": "Ask me anything."},
    {"role": "user", "content": "What can you do?"},
    {"role": "assistant", "content": "Answer questions."},
]


def welcome_demo(tmp_path: Path, calls: list[Any], **chatbot: Any) -> gr.ChatInterface:
    bot = gr.Chatbot(**chatbot)
    demo = gr.ChatInterface(
        lambda m, h: "Yes", chatbot=bot, flagging_mode="manual", flagging_dir=tmp_path / "flags"
    )

    def voted(history: list[dict[str, Any]], data: gr.LikeData) -> None:
        calls.append((len(history), data.index, data.value, data.liked))

    bot.like(voted, bot, None)
    return demo


async def flag(demo: gr.ChatInterface, *bodies: dict[str, Any]) -> list[tuple[int, Any]]:
    app = create_app(demo, Settings.from_mapping({"flush_interval": 0}))
    out = []
    async with app.test_app() as test_app:
        client = test_app.test_client()
        for body in bodies:
            full = {"flag": "Like", "visitor": VISITOR, "conversation_id": CONVERSATION, **body}
            answer = await client.post(
                "/api/feedback",
                data=json.dumps({k: v for k, v in full.items() if v is not None}),
                headers={"Content-Type": "application/json"},
            )
            out.append((answer.status_code, json.loads(await answer.get_data(as_text=False))))
    return out


def rows(tmp_path: Path) -> list[list[str]]:
    with open(tmp_path / "flags" / "log.csv", newline="", encoding="utf-8") as log:
        return list(csv.reader(log))[1:]


async def test_a_welcome_answer_is_flagged_by_index(tmp_path: Path) -> None:
    calls: list[Any] = []
    demo = welcome_demo(tmp_path, calls, value=WELCOME, feedback_value=["Like", None])
    answers = await flag(
        demo,
        {"welcome": 0, "flag": "Dislike"},
        {"welcome": 0, "flag": "Dislike"},  # a repeat: stored once, heard once
        {"welcome": 3},
    )
    assert answers == [(200, {"ok": True})] * 3
    # LikeData as Gradio's: the group's first index, its messages' contents; the chatbot's value
    # is the welcome up to the flagged answer.
    assert calls == [
        (2, 0, ["Welcome!", "Ask me anything."], False),
        (4, 3, ["Answer questions."], True),
    ]
    logged = rows(tmp_path)
    assert [row[1:3] for row in logged] == [["1", "Dislike"], ["3", "Like"]]
    assert [m["content"] for m in json.loads(logged[0][0])] == ["Welcome!", "Ask me anything."]
    assert logged[0][5] == CONVERSATION


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"welcome": 1}, "first message of an answer of the welcome (0, 3)"),
        ({"welcome": 2}, "(0, 3)"),
        ({"welcome": 9}, "(0, 3)"),
        ({"welcome": "0"}, "(0, 3)"),
        ({"welcome": True}, "(0, 3)"),
        ({"welcome": 0, "id": "x.y"}, "Unknown field 'id'"),
        ({"welcome": 0, "target": "user"}, "Unknown field 'target'"),
        ({"welcome": 0, "flag": "Spam"}, "'flag' must be one of Like, Dislike"),
        ({"welcome": 0, "visitor": "short"}, "'visitor' must be"),
        ({"welcome": 0, "conversation_id": None}, "'conversation_id' is missing"),
    ],
)
async def test_bad_welcome_flags_are_refused_clearly(
    tmp_path: Path, body: dict[str, Any], error: str
) -> None:
    calls: list[Any] = []
    demo = welcome_demo(tmp_path, calls, value=WELCOME)
    ((status, answer),) = await flag(demo, body)
    assert status == 422 and error in answer["error"] and not calls


async def test_no_welcome_no_welcome_flags(tmp_path: Path) -> None:
    calls: list[Any] = []
    demo = welcome_demo(tmp_path, calls)
    ((status, answer),) = await flag(demo, {"welcome": 0})
    assert status == 422 and "this chat has none" in answer["error"]
