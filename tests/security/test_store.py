"""store: the conversation store attacked through every way in (the visitor's saved history,
the visitor's deletes, the console's filters and exports, the chat's conversation id).

SQL never comes from a value: every filter, export parameter, conversation id and token
``sub`` is a bound parameter (``%`` and ``_`` in a substring filter match themselves), so an
injection finds nothing or is a 400, never a 500 nor another's rows; the tables stay whole. A
visitor reaches only their own conversations: another's id is a 404 exactly like a missing one,
and a delete by another leaves the rows in place. ``retention_days`` deletes the rows of old
conversations from the database file itself.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from backend.storage.store import Timings, Turn, open_store
from tests.security.harness import Server, check, post_json, request
from tests.security.surfaces import (  # noqa: F401 (fixtures)
    OTHER_SITE_SECRET,
    Console,
    Servers,
    _console,
    _surfaces,
    _surfaces_db,
    answered,
    as_user,
    rows,
    say,
    token,
)
from tests.waiting import wait_until

ANN_TEXT = "ann-private-words-5e1c"
ANON_TEXT = "anonymous-private-words-9d2a"


class Seeded:
    def __init__(self) -> None:
        run = uuid.uuid4().hex[:10]
        self.ann = f"ann-{run}"
        self.anon = f"anon-{run}"
        self.ann_token = token("user-ann")
        self.bob_token = token("user-bob")
        self.anon_key = "k" * 22 + run


@pytest.fixture(scope="module", name="seeded")
def _seeded(surfaces: Server, surfaces_db: Path) -> Iterator[Seeded]:
    """Ann (signed in) and an anonymous visitor each have one conversation in the store."""
    server = surfaces
    seeded = Seeded()
    assert answered(say(server, ANN_TEXT, seeded.ann_token, session=seeded.ann))
    resp = check(
        post_json(
            server, "/api/chat", {"message": ANON_TEXT, "history": [], "session": seeded.anon},
            {"X-Visitor-Key": seeded.anon_key},
        ),
        what="anonymous chat",
    )  # fmt: skip
    assert answered(resp)
    wait_until(
        lambda: len(stored(surfaces_db, seeded.ann, seeded.anon)) == 2,
        "both conversations in the store",
    )
    yield seeded


def stored(db: Path, *ids: str) -> list[str]:
    """Which of ``ids`` the conversations table holds (none before the store's first write
    made its tables)."""
    marks = ",".join("?" * len(ids))
    try:
        found = rows(db, f"SELECT id FROM conversations WHERE id IN ({marks}) ORDER BY id", *ids)
    except sqlite3.OperationalError:
        return []
    return [r[0] for r in found]


def table_counts(db: Path) -> tuple[int, int]:
    return (
        rows(db, "SELECT count(*) FROM conversations")[0][0],
        rows(db, "SELECT count(*) FROM messages")[0][0],
    )


# -- a visitor and another's conversations ----------------------------------------------------


def test_another_user_cannot_open_a_conversation(seeded: Seeded, surfaces: Server) -> None:
    resp = check(
        request(surfaces, "GET", f"/api/history/{seeded.ann}", headers=as_user(seeded.bob_token)),
        what="bob opens ann's",
    )
    missing = check(
        request(surfaces, "GET", "/api/history/no-such-conv-1", headers=as_user(seeded.bob_token)),
        what="missing",
    )
    assert resp.status == 404 and ANN_TEXT not in resp.text
    assert (resp.status, resp.code) == (missing.status, missing.code)  # an id tells nothing


def test_another_user_does_not_list_a_conversation(seeded: Seeded, surfaces: Server) -> None:
    resp = check(
        request(surfaces, "GET", "/api/history", headers=as_user(seeded.bob_token)), what="list"
    )
    assert resp.status == 200 and seeded.ann not in resp.text and ANN_TEXT not in resp.text
    own = check(
        request(surfaces, "GET", "/api/history", headers=as_user(seeded.ann_token)), what="own"
    )
    assert seeded.ann in own.text  # the control


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Chatbubble-User": "forged"}, {"X-Visitor-Key": "k" * 22}],
    ids=["anonymous", "forged-token", "visitor-key-only"],
)
def test_a_conversation_needs_its_users_token(
    headers: dict[str, str], seeded: Seeded, surfaces: Server
) -> None:
    resp = check(request(surfaces, "GET", f"/api/history/{seeded.ann}", headers=headers), what="")
    assert resp.status in (400, 401) and ANN_TEXT not in resp.text


def test_another_sites_token_for_the_same_sub_opens_nothing(
    seeded: Seeded, surfaces: Server
) -> None:
    forged = token("user-ann", key=OTHER_SITE_SECRET)
    resp = check(
        request(surfaces, "GET", f"/api/history/{seeded.ann}", headers=as_user(forged)), what=""
    )
    assert resp.status == 401 and ANN_TEXT not in resp.text


@pytest.mark.parametrize("sub", ["%", "_%", "' OR '1'='1", "user-%", "USER-ANN", "user-ann "])
def test_a_sub_is_matched_exactly(sub: str, seeded: Seeded, surfaces: Server) -> None:
    """A ``sub`` with SQL or LIKE wildcards is one user's name: it lists nobody else's."""
    for path in ("/api/history", f"/api/history/{seeded.ann}"):
        resp = check(request(surfaces, "GET", path, headers=as_user(token(sub))), what=sub)
        assert resp.status in (200, 404) and ANN_TEXT not in resp.text
        assert seeded.ann not in resp.text or resp.status == 404


def test_another_user_cannot_delete(seeded: Seeded, surfaces: Server, surfaces_db: Path) -> None:
    headers = as_user(seeded.bob_token)
    one = check(
        request(surfaces, "POST", f"/api/history/{seeded.ann}/delete", b"", headers), what="one"
    )
    assert one.status == 404
    every = check(request(surfaces, "POST", "/api/history/delete", b"", headers), what="all")
    assert every.status < 500
    assert stored(surfaces_db, seeded.ann) == [seeded.ann]


def test_another_visitor_cannot_delete_an_anonymous_conversation(
    seeded: Seeded, surfaces: Server, surfaces_db: Path
) -> None:
    for key in ("x" * 22, seeded.anon_key + "x", seeded.anon_key.upper()):
        resp = check(
            request(surfaces, "POST", f"/api/history/{seeded.anon}/delete", b"",
                    {"X-Visitor-Key": key}),
            what="delete anon",
        )  # fmt: skip
        assert resp.status == 404, (key, resp.status, resp.text[:200])
    assert stored(surfaces_db, seeded.anon) == [seeded.anon]


HISTORY_IDS = [
    "x' OR '1'='1", "ann' --", "1; DROP TABLE conversations", "%", "_________",
    "../../etc/passwd", "a" * 65, "ann\x00", "' UNION SELECT text FROM messages --",
]  # fmt: skip


@pytest.mark.parametrize("cid", HISTORY_IDS, ids=[f"id-{i}" for i in range(len(HISTORY_IDS))])
def test_history_ids_are_never_sql(
    cid: str, seeded: Seeded, surfaces: Server, surfaces_db: Path
) -> None:
    before = table_counts(surfaces_db)
    headers = as_user(seeded.ann_token)
    path = f"/api/history/{quote(cid, safe='')}"
    for method, suffix in (("GET", ""), ("POST", "/delete")):
        resp = check(request(surfaces, method, path + suffix, b"" if suffix else None, headers),
                     what=cid)  # fmt: skip
        assert resp.status in (404, 422), (method, resp.status, resp.text[:200])
        assert ANON_TEXT not in resp.text
    assert table_counts(surfaces_db) == before


@pytest.mark.parametrize("query", ["limit=1%20OR%201=1", "offset=-1", "limit=99999999999999"])
def test_history_paging_is_numbers_only(query: str, seeded: Seeded, surfaces: Server) -> None:
    resp = check(
        request(surfaces, "GET", f"/api/history?{query}", headers=as_user(seeded.ann_token)),
        what=query,
    )
    assert resp.status == 422, (resp.status, resp.text[:200])


@pytest.mark.parametrize("cid", ["x' OR '1'='1", "a;DROP TABLE messages", "%"])
def test_the_chats_conversation_id_is_never_sql(cid: str, surfaces: Server) -> None:
    resp = say(surfaces, "hello", token("user-sql"), session=cid)
    assert resp.status in (400, 422), (resp.status, resp.text[:200])


# -- the console's filters and exports --------------------------------------------------------

INJECTIONS = [
    "' OR '1'='1", "%", "_", "\\", "') OR 1=1 --", "'; DELETE FROM conversations; --",
    "\" OR \"\"=\"", "%' UNION SELECT id, text FROM messages --", "\x00",
]  # fmt: skip
FILTERS = ["q", "since", "until", "rating", "flag", "user", "page_url", "page"]
CONSOLE_CASES = [(name, value) for name in FILTERS for value in INJECTIONS]


@pytest.mark.parametrize(
    ("name", "value"),
    CONSOLE_CASES,
    ids=[f"{n}-{INJECTIONS.index(v)}" for n, v in CONSOLE_CASES],
)
def test_console_filters_are_never_sql(
    name: str, value: str, seeded: Seeded, console: Console, surfaces_db: Path
) -> None:
    before = table_counts(surfaces_db)
    query = urlencode({name: value})
    for path in ("/admin/transcripts", "/admin/export.csv", "/admin/export.jsonl"):
        resp = console.send("GET", f"{path}?{query}")
        check(resp, what=f"{path} {name}", page=True)
        assert resp.status in (200, 422), (path, resp.status, resp.text[:200])
        if resp.status == 200:  # no value here matches these conversations' own text
            assert ANN_TEXT not in resp.text and ANON_TEXT not in resp.text, (path, name)
    assert table_counts(surfaces_db) == before


def test_console_filter_control(seeded: Seeded, console: Console) -> None:
    """The control for the cases above: a plain filter does find the conversation."""
    for path in ("/admin/transcripts", "/admin/export.csv", "/admin/export.jsonl"):
        resp = console.send("GET", f"{path}?q={ANN_TEXT}")
        assert resp.status == 200 and (ANN_TEXT in resp.text or seeded.ann in resp.text), path


@pytest.mark.parametrize("cid", HISTORY_IDS, ids=[f"id-{i}" for i in range(len(HISTORY_IDS))])
def test_console_ids_are_never_sql(cid: str, console: Console, surfaces_db: Path) -> None:
    before = table_counts(surfaces_db)
    for path in ("/admin/transcript", "/admin/delete"):
        resp = check(console.send("GET", f"{path}?id={quote(cid, safe='')}"), what=path, page=True)
        assert resp.status == 404, (path, resp.status, resp.text[:200])
    form = {"csrf": console.csrf("/admin/transcripts"), "id": cid}
    resp = check(console.send("POST", "/admin/delete", form), what="POST delete", page=True)
    assert resp.status in (404, 422), resp.status
    assert table_counts(surfaces_db) == before


@pytest.mark.parametrize("fmt", ["csv%27%20OR%201=1", "..%2F..%2Fetc%2Fpasswd", "json", "xlsx"])
def test_export_format_is_one_of_two(fmt: str, console: Console) -> None:
    resp = check(console.send("GET", f"/admin/export.{fmt}"), what=fmt)
    assert resp.status == 404, resp.status


# -- retention ---------------------------------------------------------------------------------

OLD_TEXT = "an-old-conversation-that-must-go-3b7f"
NEW_TEXT = "a-recent-conversation-that-stays-8e4d"


def test_retention_deletes_the_rows_from_the_database_file(
    servers: Servers, tmp_path: Path
) -> None:
    """An old conversation is gone from the SQLite file (its rows, and its text in the file's
    bytes) once the server with ``retention_days`` has started; a recent one stays."""
    db = tmp_path / "retention.sqlite3"

    async def seed() -> None:
        store = open_store(f"sqlite:///{db}", tmp_path)
        await store.start()
        try:
            import time

            for cid, text, at in (("old-conv-01", OLD_TEXT, time.time() - 40 * 86_400),
                                  ("new-conv-01", NEW_TEXT, time.time())):  # fmt: skip
                await store.record_turn(
                    Turn(
                        conversation_id=cid,
                        message=[{"type": "text", "text": text}],
                        answer=[{"type": "text", "text": text + " answered"}],
                        timings=Timings(queued=at, first_token=at, finished=at),
                        message_id=f"m-{cid}",
                    )
                )
        finally:
            await store.close()

    asyncio.run(seed())
    assert stored(db, "old-conv-01", "new-conv-01") == ["new-conv-01", "old-conv-01"]
    servers("echo", "--database-url", f"sqlite:///{db}", "--retention-days", "30")
    wait_until(lambda: stored(db, "old-conv-01") == [], "the old conversation purged")
    assert stored(db, "new-conv-01") == ["new-conv-01"]
    left = rows(db, "SELECT count(*) FROM messages WHERE text LIKE ?", f"%{OLD_TEXT}%")
    assert left == [(0,)]

    def files_clean() -> bool:
        data = b"".join(
            p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file()
        )  # the database, its WAL and shared memory
        return OLD_TEXT.encode() not in data

    wait_until(files_clean, "the old text gone from the database's files")
