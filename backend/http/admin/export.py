"""Export of a filtered set of conversations, for the console's downloads and ``backend
export``: CSV (one row per message and per feedback, for a spreadsheet) or JSONL (one
conversation per line, every field).

CSV cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return first) get a leading ``'``, so a visitor's message cannot run in the operator's
spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, Literal

from ...storage.store import ConversationStore, Filters, Transcript
from ...storage.store.records import Feedback, Message, text_of

Format = Literal["csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}

CSV_COLUMNS = (
    "conversation_id", "kind", "position", "role", "text", "at", "user", "visitor", "page_url",
    "time_to_first_token", "error", "message_id", "flag", "rating", "comment",
)  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def iso(at: float | None) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds") if at else ""


async def export_lines(
    store: ConversationStore, filters: Filters, fmt: Format
) -> AsyncIterator[str]:
    """The export of every conversation ``filters`` match, a few lines at a time."""
    if fmt == "csv":
        yield _csv_line(CSV_COLUMNS)
    async for transcript in store.export(filters):
        if fmt == "jsonl":
            yield json.dumps(transcript_json(transcript), ensure_ascii=False) + "\n"
        else:
            yield "".join(_csv_line(row) for row in csv_rows(transcript))


def transcript_json(transcript: Transcript) -> dict[str, Any]:
    s = transcript.summary
    return {
        "id": s.id,
        "started": iso(s.started),
        "updated": iso(s.updated),
        "user": s.user,
        "visitor": s.visitor,
        "page_url": s.page_url,
        "messages": [_message_json(message) for message in transcript.messages],
        "feedback": [_feedback_json(row) for row in transcript.feedback],
        "files": [
            {"id": f.id, "name": f.name, "size": f.size, "mime": f.mime, "at": iso(f.at)}
            for f in transcript.files
        ],
    }


def _message_json(message: Message) -> dict[str, Any]:
    t = message.timings
    return {
        "position": message.position,
        "role": message.role,
        "content": message.parts,
        "text": message.text,
        "at": iso(message.at),
        "message_id": message.message_id,
        "timings": {
            "queued": iso(t.queued),
            "first_token": iso(t.first_token),
            "finished": iso(t.finished),
            "time_to_first_token": t.time_to_first_token,
        },
        "error": message.error,
    }


def _feedback_json(row: Feedback) -> dict[str, Any]:
    return {
        "message_id": row.message_id,
        "flag": row.flag,
        "rating": row.rating,
        "comment": row.comment,
        "at": iso(row.at),
        "user": row.user,
        "visitor": row.visitor,
        "page_url": row.page_url,
        "index": row.index,
        "conversation": row.conversation,
    }


def flagged_text(row: Feedback) -> str:
    """The text of the message a feedback row is about (from the conversation it carries)."""
    if 0 <= row.index < len(row.conversation):
        content = row.conversation[row.index].get("content", "")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            return text_of([part for part in content if isinstance(part, dict)])
        return json.dumps(content, ensure_ascii=False)
    return ""


def csv_rows(transcript: Transcript) -> list[tuple[object, ...]]:
    s = transcript.summary
    rows: list[tuple[object, ...]] = []
    for m in transcript.messages:
        ttft = m.timings.time_to_first_token
        rows.append((
            s.id, "message", m.position, m.role, m.text, iso(m.at), s.user, s.visitor,
            s.page_url, "" if ttft is None else f"{ttft:.3f}", m.error, m.message_id, "", "", "",
        ))  # fmt: skip
    for f in transcript.feedback:
        rows.append((
            s.id, "feedback", f.index, f.target, flagged_text(f), iso(f.at), f.user or s.user,
            f.visitor or s.visitor, f.page_url or s.page_url, "", "", f.message_id, f.flag,
            f.rating, f.comment,
        ))  # fmt: skip
    return rows


def _csv_line(row: tuple[object, ...]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
