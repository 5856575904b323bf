"""Several machines, one PostgreSQL (issue 19, point 6): two ``backend serve`` processes (not
forks of one), each with its own flagging_dir, sharing ``database_url`` and ``secret``. The
turns and flags sent to either land in the store once each, a flag may be sent to the other
server than the one that answered, and neither log shows the database password."""

from __future__ import annotations

import asyncio
import csv
import http.client
import json
from pathlib import Path
from typing import Any

from backend.storage.store import Transcript, open_store
from tests.helpers import parse_events
from tests.postgres import PASSWORD, PostgresServer
from tests.servers import ROOT, running_server
from tests.waiting import wait_until

APP = ROOT / "tests" / "apps" / "flagging.py"


def post(base: str, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def chat(base: str, session: str, message: str) -> tuple[str, str]:
    status, data = post(base, "/api/chat", {"message": message, "session": session})
    assert status == 200
    events = parse_events(data)
    answer = "".join(e.data.get("append", "") for e in events if e.event == "message")
    return events[-1].data["id"], answer


def flag(base: str, session: str, message: str, answer_id: str, answer: str) -> None:
    conversation = [
        {"role": "user", "content": message},
        {"role": "assistant", "content": answer},
    ]
    body = {"id": answer_id, "conversation": conversation, "flag": "Spam",
            "visitor": "visitor-" + session, "conversation_id": session}  # fmt: skip
    assert post(base, "/api/feedback", body) == (200, b'{"ok":true}\n')


def transcripts(url: str, tmp_path: Path) -> dict[str, Transcript]:
    async def read() -> dict[str, Transcript]:
        store = open_store(url, tmp_path)
        try:
            return {t.summary.id: t async for t in store.export()}
        finally:
            await store.close()

    return asyncio.run(read())


def test_two_servers_share_one_postgresql(postgres: PostgresServer, tmp_path: Path) -> None:
    url = postgres.new_database()
    common = {
        "CHATBUBBLE_DATABASE_URL": url,
        "CHATBUBBLE_SECRET": "one-secret-for-both",
        "CHATBUBBLE_STORE_TRANSCRIPTS": "true",
    }
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with (
        running_server(str(APP), env={**common, "FLAG_DIR": str(tmp_path / "a")}, log=logs[0])
        as first,
        running_server(str(APP), env={**common, "FLAG_DIR": str(tmp_path / "b")}, log=logs[1])
        as second,
    ):  # fmt: skip
        sent = {}
        for n, (base, other) in enumerate(((first, second), (second, first))):
            for turn in range(3):
                session = f"session-{n}-{turn}"
                message = f"question {turn} to server {n}"
                answer_id, answer = chat(base, session, message)
                flag(base, session, message, answer_id, answer)
                # The other machine checks the id with the shared secret; its CSV takes the
                # repeat, the shared store keeps the visitor's flag once.
                flag(other, session, message, answer_id, answer)
                sent[session] = (message, answer, answer_id)

        def all_stored() -> dict[str, Transcript] | None:
            found = transcripts(url, tmp_path)
            done = set(found) == set(sent) and all(len(t.messages) == 2 for t in found.values())
            return found if done else None

        found = wait_until(all_stored, "the turns of both servers did not reach the store")
    for session, (message, answer, answer_id) in sent.items():
        kept = found[session]
        assert [(m.role, m.text) for m in kept.messages] == [
            ("user", message), ("assistant", answer)
        ]  # fmt: skip
        assert kept.messages[1].message_id == answer_id
        assert [(f.flag, f.message_id) for f in kept.feedback] == [("Spam", answer_id)]
    for name in ("a", "b"):
        with (tmp_path / name / "log.csv").open(newline="") as handle:
            assert len(list(csv.DictReader(handle))) == 6  # its 3 flags and the other's 3
    for log in logs:
        assert PASSWORD not in log.read_text()
