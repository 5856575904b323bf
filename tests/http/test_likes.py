"""``chatbot.like(fn)``: called on the server with ``gr.LikeData`` on every feedback a visitor
gives, on answers and (``like_user_message``) on the visitor's messages; errors only logged."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import Any

import pytest

import backend as gr
from backend import Settings, create_app
from tests.helpers import parse_events

VISITOR = "v_abcdefgh"
CONVERSATION = "c_abcdefgh"


async def chat_and_flag(demo: gr.ChatInterface, *flags: dict[str, Any]) -> list[tuple[int, Any]]:
    app = create_app(demo, Settings.from_mapping({"flush_interval": 0}))
    out = []
    async with app.test_app() as test_app:
        client = test_app.test_client()
        config = await client.get("/api/config")
        out.append((config.status_code, json.loads(await config.get_data(as_text=False))))
        response = await client.post(
            "/api/chat",
            data=json.dumps({"message": "Am I cool?"}),
            headers={"Content-Type": "application/json"},
        )
        done = parse_events(await response.get_data(as_text=False))[-1].data
        for flag in flags:
            body = {
                "id": done.get("id", ""),
                "conversation": [
                    {"role": "user", "content": "Am I cool?"},
                    {"role": "assistant", "content": "Yes"},
                ],
                "flag": "Like",
                "visitor": VISITOR,
                "conversation_id": CONVERSATION,
                **flag,
            }
            answer = await client.post(
                "/api/feedback",
                data=json.dumps(body),
                headers={"Content-Type": "application/json"},
            )
            out.append((answer.status_code, json.loads(await answer.get_data(as_text=False))))
    return out


def liking_demo(tmp_path: Path, calls: list[Any], **chatbot: Any) -> gr.ChatInterface:
    bot = gr.Chatbot(**chatbot)
    demo = gr.ChatInterface(lambda m, h: "Yes", chatbot=bot, flagging_dir=tmp_path / "flags")

    def voted(history: list[dict[str, Any]], data: gr.LikeData) -> str:
        calls.append((history, data.index, data.value, data.liked))
        return "not shown"

    bot.like(voted, bot, None)
    return demo


async def test_like_fn_gets_likedata_and_the_conversation(tmp_path: Path) -> None:
    calls: list[Any] = []
    demo = liking_demo(tmp_path, calls, feedback_options=["Like", "Dislike", "Spam"])
    (_, config), *answers = await chat_and_flag(
        demo, {}, {"flag": "Dislike"}, {"flag": "Spam"}, {"flag": ""}
    )
    assert config["flagging"] == {"options": ["Like", "Dislike", "Spam"], "comments": False}
    assert [status for status, _ in answers] == [200, 200, 200, 200]
    history = [
        {"role": "user", "metadata": None, "content": [{"type": "text", "text": "Am I cool?"}],
         "options": None},
        {"role": "assistant", "metadata": None, "content": [{"type": "text", "text": "Yes"}],
         "options": None},
    ]  # fmt: skip
    assert calls == [
        (history, 1, ["Yes"], True),
        (history, 1, ["Yes"], False),
        (history, 1, ["Yes"], "Spam"),
        (history, 1, ["Yes"], ""),
    ]
    assert not (tmp_path / "flags" / "log.csv").exists()  # no flagging_mode: no CSV, as Gradio


async def test_no_listener_no_feedback_buttons(tmp_path: Path) -> None:
    demo = gr.ChatInterface(lambda m, h: "Yes", flagging_dir=tmp_path / "flags")
    (_, config), (status, body) = await chat_and_flag(demo, {})
    assert config["flagging"] is None and status == 404


async def test_likes_on_the_visitors_message(tmp_path: Path) -> None:
    calls: list[Any] = []
    demo = liking_demo(tmp_path, calls, like_user_message=True)
    _, (status, _) = await chat_and_flag(demo, {"target": "user"})
    assert status == 200 and [c[1:] for c in calls] == [(0, ["Am I cool?"], True)]


async def test_a_user_message_flag_needs_like_user_message(tmp_path: Path) -> None:
    calls: list[Any] = []
    demo = liking_demo(tmp_path, calls)
    _, (status, body), (status2, body2) = await chat_and_flag(
        demo, {"target": "user"}, {"target": "bot"}
    )
    assert (status, status2) == (422, 422) and not calls
    assert "not enabled" in body["error"] and "'target'" in body2["error"]


async def test_an_error_in_the_like_fn_is_logged_not_shown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = gr.Chatbot()
    demo = gr.ChatInterface(lambda m, h: "Yes", chatbot=bot, flagging_dir=tmp_path / "flags")

    async def broken(data: gr.LikeData) -> None:
        raise RuntimeError("the like store is down")

    bot.like(broken)
    with caplog.at_level(logging.ERROR, logger="backend.likes"):
        _, (status, body) = await chat_and_flag(demo, {})
    assert (status, body) == (200, {"ok": True})
    assert "the like store is down" in caplog.text


async def test_flagging_mode_logs_and_calls_the_like_fn_with_flagging_options(
    tmp_path: Path,
) -> None:
    calls: list[Any] = []
    bot = gr.Chatbot(feedback_options=["Ignored"], like_user_message=True)
    demo = gr.ChatInterface(
        lambda m, h: "Yes", chatbot=bot, flagging_mode="manual", flagging_dir=tmp_path / "flags",
        flagging_options=["Like", "Wrong"],
    )  # fmt: skip

    def voted(data: gr.LikeData) -> None:
        calls.append(data.liked)

    bot.like(voted, None, None)
    (_, config), *answers = await chat_and_flag(
        demo, {"flag": "Wrong"}, {"flag": "Wrong"}, {"flag": "Like", "target": "user"}
    )
    assert config["flagging"] == {"options": ["Like", "Wrong"], "comments": False}
    assert [s for s, _ in answers] == [200, 200, 200]
    assert calls == ["Wrong", True]  # the repeat is stored once and heard once
    with open(tmp_path / "flags" / "log.csv", newline="", encoding="utf-8") as log:
        rows = list(csv.reader(log))
    assert [row[1:3] for row in rows[1:]] == [["1", "Wrong"], ["0", "Like"]]


async def test_a_flag_on_a_visitors_message_still_needs_the_signed_conversation(
    tmp_path: Path,
) -> None:
    calls: list[Any] = []
    demo = liking_demo(tmp_path, calls, like_user_message=True)
    forged = [{"role": "user", "content": "I never said this"},
              {"role": "assistant", "content": "Yes"}]  # fmt: skip
    _, (status, body) = await chat_and_flag(demo, {"target": "user", "conversation": forged})
    assert status == 403 and not calls


async def test_the_like_fns_outputs_come_back_as_an_events_outputs(tmp_path: Path) -> None:
    with gr.Blocks():
        bot = gr.Chatbot()
        told = gr.Markdown("No feedback yet")
        count = gr.State(0)
        hidden = gr.Textbox(visible=False)

        def voted(seen: int, data: gr.LikeData) -> tuple[str, int, Any]:
            return f"Feedback {seen + 1}: {data.liked}", seen + 1, gr.update(visible=True)

        bot.like(voted, count, [told, count, hidden])
        chat = gr.ChatInterface(lambda m, h: "Yes", chatbot=bot, flagging_dir=tmp_path / "f")
    (_, config), *answers = await chat_and_flag(chat, {}, {"flag": "Dislike"}, {"flag": "Dislike"})
    wiring = chat.wiring
    told_id, hidden_id = wiring.id(told), wiring.id(hidden)
    # The outputs are numbered for the widget, which applies them as an event's.
    assert config["events"]["handlers"] == [] and told_id != hidden_id
    assert answers == [
        (200, {"ok": True, "outputs": [[told_id, {"value": "Feedback 1: True"}],
                                       [hidden_id, {"visible": True}]]}),
        (200, {"ok": True, "outputs": [[told_id, {"value": "Feedback 2: False"}],
                                       [hidden_id, {"visible": True}]]}),
        # Without flagging_mode="manual" there is no log: every flag calls fn; the State counts.
        (200, {"ok": True, "outputs": [[told_id, {"value": "Feedback 3: False"}],
                                       [hidden_id, {"visible": True}]]}),
    ]  # fmt: skip


async def test_a_like_fn_returning_the_wrong_count_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with gr.Blocks():
        bot = gr.Chatbot()
        one, two = gr.Markdown(), gr.Markdown()
        bot.like(lambda: "only one", None, [one, two])
        chat = gr.ChatInterface(lambda m, h: "Yes", chatbot=bot, flagging_dir=tmp_path / "f")
    with caplog.at_level(logging.ERROR, logger="backend.likes"):
        _, (status, body) = await chat_and_flag(chat, {})
    assert (status, body) == (200, {"ok": True})
    assert "1 values for 2 outputs" in caplog.text


async def test_the_welcome_counts_in_the_index_and_the_chatbots_value(tmp_path: Path) -> None:
    calls: list[Any] = []
    demo = liking_demo(tmp_path, calls, value=[{"role": "assistant", "content": "Hi!"}])
    _, (status, _) = await chat_and_flag(demo, {})
    history, index, value, _ = calls[0]
    assert status == 200 and (index, value) == (2, ["Yes"])
    assert [m["content"][0]["text"] for m in history] == ["Hi!", "Am I cool?", "Yes"]


async def test_a_like_fn_runs_as_an_event_handler_does(tmp_path: Path) -> None:
    """Any of the four shapes (here a generator: its last yield stays shown), with the
    visitor's gr.Request."""
    with gr.Blocks():
        bot = gr.Chatbot()
        told = gr.Markdown("No feedback yet")

        def voted(data: gr.LikeData, request: gr.Request) -> Any:
            yield "thinking..."
            yield f"{data.liked} in {request.session_hash}"

        bot.like(voted, None, told)
        chat = gr.ChatInterface(lambda m, h: "Yes", chatbot=bot, flagging_dir=tmp_path / "f")
    _, answer = await chat_and_flag(chat, {})
    told_id = chat.wiring.id(told)
    assert answer == (
        200,
        {"ok": True, "outputs": [[told_id, {"value": f"True in {CONVERSATION}"}]]},
    )
