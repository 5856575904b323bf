"""Feedback: the CSV log, signed answer ids, the endpoint, and 4 workers writing at once."""

from __future__ import annotations

import asyncio
import csv
import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import backend as gr
from backend import Settings, create_app
from backend.chat.message_ids import MessageSigner, load_secret
from backend.storage.feedback import HEADER, CsvFeedbackLog, neutralize
from backend.storage.store import Feedback, open_store
from tests.helpers import freeze_rate_clock, parse_events
from tests.servers import running_server
from tests.waiting import LIVENESS

APPS = Path(__file__).parent.parent / "apps"
VISITOR, CONVERSATION = "v_visitor01", "c_conversation01"


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("https://attacker.example")', '\'=HYPERLINK("https://attacker.example")'),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,1)", "'@SUM(1,1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a\x00b", "ab"),
        ("plain", "plain"),
        ('[{"role": "user"}]', '[{"role": "user"}]'),
    ],
)
def test_formula_cells_are_neutralized(cell: str, safe: str) -> None:
    assert neutralize(cell) == safe


def test_log_has_one_header_and_parseable_rows(tmp_path: Path) -> None:
    log = CsvFeedbackLog(tmp_path / "flagged")
    turns = (("user", 'hi,\n"there"'), ("assistant", "=1+1"))
    assert log.append(turns, "Like", VISITOR, CONVERSATION, "answer-1")
    assert log.append(turns, "", VISITOR, CONVERSATION, "answer-1")
    header, first, second = rows(log.path)
    assert tuple(header) == HEADER
    assert json.loads(first[0]) == [
        {"role": "user", "content": 'hi,\n"there"'},
        {"role": "assistant", "content": "=1+1"},
    ]
    assert (
        first[1:3] == ["1", "Like"]
        and first[3].endswith("Z")
        and first[4:] == [VISITOR, CONVERSATION, ""]
    )
    assert second[2] == ""
    assert (log.path.stat().st_mode & 0o777) == 0o600


def test_a_repeated_flag_is_stored_once_and_the_last_flag_wins(tmp_path: Path) -> None:
    log = CsvFeedbackLog(tmp_path / "flagged")
    turns = (("user", "hi"), ("assistant", "hello"))
    assert log.append(turns, "Like", VISITOR, CONVERSATION, "answer-1")
    for _ in range(100):  # a double click, a replay, a script
        assert not log.append(turns, "Like", VISITOR, CONVERSATION, "answer-1")
    assert log.append(turns, "Dislike", VISITOR, CONVERSATION, "answer-1")  # changed: a row
    assert log.append(turns, "Like", VISITOR, CONVERSATION, "answer-1")  # and back: a row
    assert log.append(turns, "Like", "another-visitor", CONVERSATION, "answer-1")  # their own
    assert log.append(turns, "Like", VISITOR, CONVERSATION, "answer-2")  # another answer
    flags = [(row[2], row[4]) for row in rows(log.path)[1:]]
    assert flags == [
        ("Like", VISITOR),
        ("Dislike", VISITOR),
        ("Like", VISITOR),
        ("Like", "another-visitor"),
        ("Like", VISITOR),
    ]
    votes = tmp_path / "flagged" / "votes.sqlite3"
    assert (votes.stat().st_mode & 0o777) == 0o600
    assert votes.stat().st_size < 64 * 1024  # a few bytes per (answer, visitor), not a file each


def test_a_votes_file_replaced_by_a_symlink_is_never_followed(tmp_path: Path) -> None:
    """The flag is still stored (a repeat may be stored again); the target is untouched."""
    log = CsvFeedbackLog(tmp_path / "flagged")
    turns = (("user", "hi"), ("assistant", "hello"))
    target = tmp_path / "elsewhere"
    target.write_text("untouched")
    (tmp_path / "flagged").mkdir()
    (tmp_path / "flagged" / "votes.sqlite3").symlink_to(target)
    assert log.append(turns, "Like", VISITOR, CONVERSATION, "answer-1")
    assert log.append(turns, "Like", VISITOR, CONVERSATION, "answer-1")
    assert target.read_text() == "untouched"
    assert [row[2] for row in rows(log.path)[1:]] == ["Like", "Like"]


def test_signed_ids() -> None:
    signer = MessageSigner(b"k" * 32)
    turns = (("user", "Am I cool?"), ("assistant", "Yes"))
    message_id = signer.sign(turns)
    assert signer.verify(message_id, turns)
    assert not signer.verify(message_id, (("user", "Am I cool?"), ("assistant", "No")))
    assert not signer.verify(message_id, (("user", "x"), *turns))
    assert not MessageSigner(b"other" * 8).verify(message_id, turns)
    for forged in ("", "abc", "abc.def", message_id + "x", "." + message_id.split(".")[1]):
        assert not signer.verify(forged, turns)


def test_secret_is_created_once_and_shared(tmp_path: Path) -> None:
    first = load_secret("", tmp_path)
    assert len(first) == 32 and load_secret("", tmp_path) == first
    assert load_secret("configured", tmp_path) == b"configured"


async def chat_and_flag(
    demo: gr.ChatInterface, flag: dict[str, Any] | None = None, **settings: Any
) -> tuple[dict[str, Any], int, dict[str, Any]]:
    app = create_app(demo, Settings.from_mapping({"flush_interval": 0, **settings}))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        response = await client.post(
            "/api/chat",
            data=json.dumps({"message": "Am I cool?"}),
            headers={"Content-Type": "application/json"},
        )
        done = parse_events(await response.get_data(as_text=False))[-1].data
        body = {
            "id": done.get("id", ""),
            "conversation": [
                {"role": "user", "content": "Am I cool?"},
                {"role": "assistant", "content": "Yes"},
            ],
            "flag": "Like",
            "visitor": VISITOR,
            "conversation_id": CONVERSATION,
            **(flag or {}),
        }
        answer = await client.post(
            "/api/feedback", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        return done, answer.status_code, json.loads(await answer.get_data(as_text=False))


def flagging_demo(tmp_path: Path, **kwargs: Any) -> gr.ChatInterface:
    return gr.ChatInterface(
        lambda m, h: "Yes", flagging_mode="manual", flagging_dir=tmp_path / "flags", **kwargs
    )


async def test_a_flag_on_a_served_answer_is_logged(tmp_path: Path) -> None:
    done, status, body = await chat_and_flag(flagging_demo(tmp_path))
    assert status == 200 and body == {"ok": True} and done["id"]
    header, row = rows(tmp_path / "flags" / "log.csv")
    assert row[2] == "Like" and json.loads(row[0])[1]["content"] == "Yes"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"conversation": [{"role": "user", "content": "Am I cool?"},
                           {"role": "assistant", "content": "No"}]}, 403, "unknown_message"),
        ({"id": "made.up"}, 403, "unknown_message"),
        ({"flag": "Love"}, 422, "invalid_request"),
        ({"flag": ["Like"]}, 422, "invalid_request"),
        ({"visitor": "../../etc"}, 422, "invalid_request"),
        ({"conversation": [{"role": "assistant", "content": "Yes"}]}, 422, "invalid_request"),
        ({"conversation": "Yes"}, 422, "invalid_request"),
        ({"timestamp": "2020-01-01"}, 422, "invalid_request"),
    ],
)  # fmt: skip
async def test_forged_flags_are_refused_and_not_logged(
    tmp_path: Path, change: dict[str, Any], status: int, code: str
) -> None:
    _, got, body = await chat_and_flag(flagging_demo(tmp_path), change)
    assert got == status and body["code"] == code
    assert not (tmp_path / "flags" / "log.csv").exists()


async def test_feedback_is_off_unless_manual(tmp_path: Path) -> None:
    done, status, body = await chat_and_flag(gr.ChatInterface(lambda m, h: "Yes"))
    assert "id" not in done and status == 404 and body["code"] == "not_found"


async def test_feedback_rate_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_rate_clock(monkeypatch)  # no refill, however slowly the requests go
    demo = flagging_demo(tmp_path)
    app = create_app(demo, Settings(feedback_rate_limit=2))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        statuses = []
        for _ in range(3):
            response = await client.post(
                "/api/feedback", data="{}", headers={"Content-Type": "application/json"}
            )
            statuses.append((response.status_code, response.headers.get("Retry-After")))
    assert statuses[:2] == [(422, None), (422, None)]
    assert statuses[2][0] == 429 and int(statuses[2][1] or 0) >= 1


async def test_unwritable_log_is_a_clear_503(tmp_path: Path) -> None:
    (tmp_path / "flags").mkdir()
    (tmp_path / "flags" / "log.csv").mkdir()  # not a file: cannot be opened for appending
    _, status, body = await chat_and_flag(flagging_demo(tmp_path))
    assert status == 503 and body["code"] == "feedback_unavailable"
    assert "could not be saved" in body["error"]


@pytest.mark.heavy
def test_four_workers_2000_concurrent_flags_one_header_no_lost_rows(tmp_path: Path) -> None:
    flags = tmp_path / "flags"
    env = {"FLAG_DIR": str(flags)}
    args = (str(APPS / "flagging.py"), "--workers", "4", "--feedback-rate-limit", "0")
    with running_server(*args, env=env) as base:
        host, port = base.removeprefix("http://").split(":")

        def request(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
            # A liveness bound: 32 clients queue for the CSV's and the store's write locks.
            connection = http.client.HTTPConnection(host, int(port), timeout=LIVENESS)
            try:
                payload = json.dumps(body)
                connection.request("POST", path, payload, {"Content-Type": "application/json"})
                response = connection.getresponse()
                return response.status, response.read()
            finally:
                connection.close()

        status, data = request("/api/chat", {"message": "hi"})
        events = parse_events(data)
        answer = "".join(e.data.get("append", "") for e in events if e.event == "message")
        flag = {
            "id": events[-1].data["id"],
            "conversation": [
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": answer},
            ],
            "flag": "Like",
            "visitor": VISITOR,
            "conversation_id": CONVERSATION,
        }

        def one(i: int) -> int:  # each its own visitor: 2,000 flags to store, not repeats
            return request("/api/feedback", {**flag, "visitor": f"visitor-{i:05d}"})[0]

        with ThreadPoolExecutor(32) as pool:
            results = list(pool.map(one, range(2000)))
            repeats = list(pool.map(lambda _: request("/api/feedback", flag)[0], range(200)))
    assert results.count(200) == 2000 and repeats.count(200) == 200
    table = rows(flags / "log.csv")
    # 2,000 visitors' flags, and one row for the visitor who sent the same flag 200 times
    assert tuple(table[0]) == HEADER and len(table) == 2002
    assert all(row[2] == "Like" and len(row) == 7 for row in table[1:])
    # the answer starts like a formula; inside the JSON cell it is kept exactly
    assert all(json.loads(row[0])[1]["content"] == answer for row in table[1:])
    assert answer.startswith("=cmd")
    # The four workers wrote the same flags to the SQLite store beside the CSV.
    stored = asyncio.run(stored_flags(flags))
    assert len(stored) == 2001 and {row.visitor for row in stored} == {
        f"visitor-{i:05d}" for i in range(2000)
    } | {VISITOR}


async def stored_flags(flags: Path) -> list[Feedback]:
    store = open_store("", flags)
    try:
        return [row async for transcript in store.export() for row in transcript.feedback]
    finally:
        await store.close()


async def test_flags_on_answers_with_files(tmp_path: Path) -> None:
    """The widget sends files back as {"file": id}; the id signs exactly that conversation."""
    picture = Path(__file__).parent.parent / "e2e" / "apps" / "media" / "checker.png"

    def fn(message: Any, history: Any) -> Any:
        return ["Here it is:", gr.File(message["files"][0]), gr.HTML("<b>bold</b>")]

    interface = gr.ChatInterface(
        fn, multimodal=True, flagging_mode="manual", flagging_dir=tmp_path / "flags"
    )
    settings = gr.Settings.from_mapping({"flush_interval": 0.0, "upload_dir": str(tmp_path / "f")})
    app = gr.create_app(interface, settings)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        uploaded = await client.post(
            "/api/upload", query_string={"name": "c.png"}, data=picture.read_bytes(),
            headers={"Content-Type": "image/png"},
        )  # fmt: skip
        file_id = (await uploaded.get_json())["id"]
        message = {"text": "send it back", "files": [file_id]}
        response = await client.post(
            "/api/chat", data=json.dumps({"message": message}),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        events = parse_events(await response.get_data(as_text=False))
        done = events[-1].data
        conversation = [
            {"role": "user", "content": {"file": file_id}},
            {"role": "user", "content": "send it back"},
            {"role": "assistant", "content": "Here it is:"},
            {"role": "assistant", "content": {"file": file_id}},
            {"role": "assistant", "content": "<b>bold</b>"},
        ]
        body = {
            "id": done["id"], "conversation": conversation, "flag": "Like",
            "visitor": VISITOR, "conversation_id": CONVERSATION,
        }  # fmt: skip
        answer = await client.post(
            "/api/feedback", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 200
        # Claiming another file for the same answer is refused.
        body["conversation"] = [*conversation[:3], {"role": "assistant", "content": "x"}]
        forged = await client.post(
            "/api/feedback", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        assert forged.status_code == 403
    _, row = rows(tmp_path / "flags" / "log.csv")
    assert json.loads(row[0])[0] == {"role": "user", "content": {"file": file_id}}
    assert row[1] == "4"
