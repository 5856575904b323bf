"""The export: the filtered set as CSV (formulas defused) and JSONL, as a download, only for a
logged-in operator; and ``backend export`` on the command line, the same bytes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from quart.typing import TestClientProtocol as Client

from tests.http.admin.conftest import HOSTILE, admin_app
from tests.servers import ROOT


async def test_csv_export_of_the_filtered_set(admin: Client) -> None:
    response = await admin.get("/admin/export.csv?rating=down")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="chatbubble-')
    rows = list(csv.DictReader(io.StringIO(await response.get_data(as_text=True))))
    assert {row["conversation_id"] for row in rows} == {"c-pricing"}
    kinds = [(row["kind"], row["role"]) for row in rows]
    assert kinds == [("message", "user"), ("message", "assistant"), ("feedback", "assistant")]
    assert rows[0]["text"] == "how much is it?"
    assert rows[1]["time_to_first_token"] == "0.500"
    assert rows[2]["flag"] == "Dislike" and rows[2]["rating"] == "down"
    assert rows[2]["comment"] == HOSTILE  # text, as the visitor wrote it


async def test_csv_cells_never_start_a_formula(admin: Client) -> None:
    text = await (await admin.get("/admin/export.csv?flag=Spam")).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["text"] == "'=HYPERLINK(1)"


async def test_jsonl_export_has_every_field(admin: Client) -> None:
    response = await admin.get("/admin/export.jsonl?page_url=shop.example")
    assert response.headers["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in (await response.get_data(as_text=True)).splitlines()]
    assert [line["id"] for line in lines] == ["c-pricing", "c-hostile"]
    pricing = lines[0]
    assert pricing["user"] == "ann"
    assert pricing["messages"][1]["timings"]["time_to_first_token"] == 0.5
    assert pricing["messages"][0]["content"] == [{"type": "text", "text": "how much is it?"}]
    assert pricing["feedback"][0]["comment"] == HOSTILE


async def test_unknown_format_is_404(admin: Client) -> None:
    assert (await admin.get("/admin/export.xlsx")).status_code == 404


async def test_backend_export_writes_the_same_rows(admin: Client, tmp_path: Path) -> None:
    served = await (await admin.get("/admin/export.csv?rating=down")).get_data(as_text=True)
    out = tmp_path / "export.csv"
    done = subprocess.run(
        [sys.executable, "-m", "backend", "export", "--format", "csv", "--rating", "down",
         "--database-url", f"sqlite:///{tmp_path / 'store.sqlite3'}", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().decode() == served
    assert "1 conversation(s)" in done.stderr


async def test_backend_export_to_stdout_as_jsonl(admin: Client, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backend", "export", "--format", "jsonl", "--q", "how much",
         "--database-url", f"sqlite:///{tmp_path / 'store.sqlite3'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["c-pricing"]


def test_backend_export_refuses_a_bad_filter(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backend", "export", "--since", "last week",
         "--database-url", f"sqlite:///{tmp_path / 'store.sqlite3'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "since must be a date" in done.stderr


async def test_export_of_an_empty_store_is_the_header_only(tmp_path: Path) -> None:
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        from tests.http.admin.conftest import log_in

        await log_in(client)
        text = await (await client.get("/admin/export.csv")).get_data(as_text=True)
    assert text.splitlines() == [text.splitlines()[0]]
    assert text.startswith("conversation_id,kind,position,role,text,")
