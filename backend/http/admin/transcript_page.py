"""One conversation as the operator reads it: its messages in order, each answer's timings
(time to first token, duration) and error, and the feedback given on it inline; feedback on a
conversation whose messages were not kept (``store_transcripts`` off) shows the conversation it
carries. Every value is escaped."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ...storage.store import Transcript
from ...storage.store.records import Feedback, Message
from .html import Shell, esc, when


def _parts(parts: list[dict[str, Any]]) -> str:
    out = []
    for part in parts:
        if part.get("type") == "text":
            out.append(f'<div class="text">{esc(part.get("text", ""))}</div>')
        else:
            name = part.get("name") or part.get("alt_text") or part.get("type", "part")
            out.append(f'<div class="meta">[{esc(part.get("type", "part"))}: {esc(name)}]</div>')
    return "".join(out)


def _content(content: object) -> str:
    if isinstance(content, str):
        return f'<div class="text">{esc(content)}</div>'
    if isinstance(content, list):
        return _parts([p for p in content if isinstance(p, dict)])
    return f'<div class="text">{esc(json.dumps(content, ensure_ascii=False))}</div>'


def _feedback(row: Feedback) -> str:
    label = {"up": "👍 Thumbs up", "down": "👎 Thumbs down", "none": "Unflagged"}.get(
        row.rating, f"⚑ {row.flag}"
    )
    comment = f'<div class="text">“{esc(row.comment)}”</div>' if row.comment else ""
    who = row.user or row.visitor[:12]
    return (
        f'<div class="feedback"><strong>{esc(label)}</strong> '
        f'<span class="meta">{esc(when(row.at))}{" · " + esc(who) if who else ""}</span>'
        f"{comment}</div>"
    )


def _timings(message: Message) -> str:
    t = message.timings
    bits = []
    if t.time_to_first_token is not None:
        bits.append(f"first token after {t.time_to_first_token:.2f} s")
    if t.queued is not None and t.finished is not None:
        bits.append(f"finished after {max(0.0, t.finished - t.queued):.2f} s")
    return " · ".join(bits)


def _message(message: Message, feedback: list[Feedback]) -> str:
    timings = _timings(message)
    role = "Visitor" if message.role == "user" else "Assistant"
    error = f'<div class="error">Error: {esc(message.error)}</div>' if message.error else ""
    return (
        f'<article class="message {esc(message.role)}" aria-label="{role}">'
        f'<div class="meta"><strong>{role}</strong> · {esc(when(message.at))}'
        f"{' · ' + esc(timings) if timings else ''}</div>"
        f"{_parts(message.parts)}{error}{''.join(_feedback(row) for row in feedback)}"
        "</article>\n"
    )


def _loose_feedback(row: Feedback) -> str:
    """Feedback whose message is not among the stored ones: its conversation, as sent."""
    lines = []
    for index, entry in enumerate(row.conversation):
        role = "Visitor" if entry.get("role") == "user" else "Assistant"
        mark = " (flagged)" if index == row.index else ""
        lines.append(
            f'<div class="message {esc(entry.get("role", ""))}"><div class="meta">'
            f"<strong>{role}{mark}</strong></div>{_content(entry.get('content', ''))}</div>"
        )
    return f'<section class="message">{"".join(lines)}{_feedback(row)}</section>\n'


def transcript_page(shell: Shell, nonce: str, transcript: Transcript, back: str) -> str:
    s = transcript.summary
    by_message: dict[str, list[Feedback]] = {}
    shown = {m.message_id for m in transcript.messages if m.message_id}
    loose = []
    for row in transcript.feedback:
        if row.message_id in shown:
            by_message.setdefault(row.message_id, []).append(row)
        else:
            loose.append(row)
    facts = [
        ("Conversation", s.id), ("Started", when(s.started)), ("Last activity", when(s.updated)),
        ("User", s.user or "anonymous"), ("Visitor", s.visitor), ("Page", s.page_url),
    ]  # fmt: skip
    parts = [
        '<dl class="totals">',
        "".join(
            f'<div><dt>{esc(k)}</dt><dd class="text">{esc(v)}</dd></div>' for k, v in facts if v
        ),
        "</dl>\n",
        f'<p><a href="{esc(back)}">Back to the list</a> · '
        f'<a href="{shell.url("/delete?id=")}{esc(quote(s.id, safe=""))}">Delete…</a></p>\n',
        "<h2>Messages</h2>\n",
    ]
    if transcript.messages:
        parts += [_message(m, by_message.get(m.message_id, [])) for m in transcript.messages]
    else:
        parts.append("<p>No messages were kept (store_transcripts is off).</p>\n")
    if loose:
        parts.append("<h2>Feedback</h2>\n")
        parts += [_loose_feedback(row) for row in loose]
    if transcript.files:
        parts.append("<h2>Files</h2>\n<ul>")
        parts += [
            f"<li>{esc(f.name)} ({esc(f.mime)}, {f.size} bytes, {esc(when(f.at))})</li>"
            for f in transcript.files
        ]
        parts.append("</ul>\n")
    return shell.page(s.title.strip()[:80] or "Conversation", "".join(parts), nonce)
