"""The console's login page, transcripts list and delete confirmation (the overview is in
``overview.py``, one transcript in ``transcript_page.py``). Every value is escaped."""

from __future__ import annotations

from urllib.parse import quote

from ...storage.store import ConversationSummary
from .filters import PAGE_SIZE, RATINGS, Query
from .html import Shell, esc, when


def login_page(shell: Shell, nonce: str, form_token: str, message: str = "") -> str:
    notice = f'<p class="notice" role="alert">{esc(message)}</p>\n' if message else ""
    body = (
        f"{notice}"
        f'<form method="post" action="{shell.url("/login")}">\n'
        f'<input type="hidden" name="csrf" value="{esc(form_token)}">\n'
        '<p><label for="password">Password or admin token</label><br>\n'
        '<input id="password" name="password" type="password" autocomplete="current-password" '
        "required autofocus></p>\n"
        '<p><button type="submit">Log in</button></p>\n</form>\n'
    )
    return shell.page("Log in", body, nonce)


def transcript_link(shell: Shell, conversation_id: str) -> str:
    return shell.url("/transcript?id=" + quote(conversation_id, safe=""))


def _input(name: str, label: str, value: str, kind: str = "text") -> str:
    return (
        f'<label for="f-{name}">{esc(label)}'
        f'<input id="f-{name}" name="{name}" type="{kind}" value="{esc(value)}"></label>'
    )


def _rating_select(value: str) -> str:
    names = {"up": "Thumbs up", "down": "Thumbs down", "flag": "Flagged", "none": "Unflagged"}
    options = ['<option value="">Any</option>'] + [
        f'<option value="{r}"{" selected" if r == value else ""}>{esc(names.get(r, r))}</option>'
        for r in RATINGS
    ]
    select = f'<select id="f-rating" name="rating">{"".join(options)}</select>'
    return f'<label for="f-rating">Rating{select}</label>'


def filter_form(shell: Shell, query: Query) -> str:
    return (
        f'<form class="filters" method="get" action="{shell.url("/transcripts")}" '
        'role="search" aria-label="Filter transcripts">'
        + _input("q", "Search", query.q, "search")
        + _input("since", "From", query.since, "date")
        + _input("until", "To", query.until, "date")
        + _rating_select(query.rating)
        + _input("flag", "Flag option", query.flag)
        + _input("user", "User", query.user)
        + _input("page_url", "Page URL contains", query.page_url)
        + '<button type="submit">Filter</button>'
        + f'<a href="{shell.url("/transcripts")}">Reset</a></form>\n'
    )


def transcripts_page(
    shell: Shell, nonce: str, query: Query, rows: list[ConversationSummary], total: int
) -> str:
    link = query.link()
    parts = [
        filter_form(shell, query),
        f'<p><span id="total">{total}</span> conversation{"" if total == 1 else "s"} · Export: '
        f'<a href="{shell.url("/export.csv")}{esc(link)}" download>CSV</a> · '
        f'<a href="{shell.url("/export.jsonl")}{esc(link)}" download>JSONL</a></p>\n',
    ]
    if rows:
        parts.append(
            '<table id="transcripts"><thead><tr><th scope="col">Last activity</th>'
            '<th scope="col">Conversation</th><th scope="col">User</th><th scope="col">Page</th>'
            '<th scope="col">Messages</th><th scope="col">Feedback</th>'
            '<th scope="col">Errors</th></tr></thead><tbody>\n'
        )
        for row in rows:
            title = row.title.strip() or row.id
            feedback = f"👍 {row.ups} · 👎 {row.downs} · ⚑ {row.flags}"
            parts.append(
                f"<tr><td>{esc(when(row.updated))}</td>"
                f'<td><a href="{transcript_link(shell, row.id)}">{esc(title[:120])}</a></td>'
                f"<td>{esc(row.user or row.visitor[:12])}</td><td>{esc(row.page_url[:80])}</td>"
                f"<td>{row.messages}</td><td>{esc(feedback)}</td><td>{row.errors}</td></tr>\n"
            )
        parts.append("</tbody></table>\n")
    else:
        parts.append("<p>No conversation matches.</p>\n")
    pager = []
    here = shell.url("/transcripts")
    if query.page > 1:
        pager.append(
            f'<a href="{here}{esc(query.link(page=query.page - 1))}" rel="prev">Newer</a>'
        )
    if query.offset + PAGE_SIZE < total:
        pager.append(
            f'<a href="{here}{esc(query.link(page=query.page + 1))}" rel="next">Older</a>'
        )
    if pager:
        parts.append(f'<nav class="pager" aria-label="Pages">{"".join(pager)}</nav>\n')
    return shell.page("Transcripts", "".join(parts), nonce)


def delete_page(shell: Shell, nonce: str, summary: ConversationSummary) -> str:
    body = (
        f"<p>Delete the conversation <strong>{esc(summary.title or summary.id)}</strong> "
        f"({summary.messages} messages, last active {esc(when(summary.updated))})? Its "
        "messages, feedback and file records are removed from the store; this cannot be "
        "undone. (The Gradio CSV in flagging_dir keeps its rows.)</p>\n"
        f'<form method="post" action="{shell.url("/delete")}">'
        f'<input type="hidden" name="csrf" value="{esc(shell.csrf)}">'
        f'<input type="hidden" name="id" value="{esc(summary.id)}">'
        '<button class="danger" type="submit">Delete</button> '
        f'<a href="{transcript_link(shell, summary.id)}">Cancel</a></form>\n'
    )
    return shell.page("Delete conversation", body, nonce)


def message_page(shell: Shell, nonce: str, title: str, text: str) -> str:
    body = f'<p>{esc(text)}</p>\n<p><a href="{shell.url("/transcripts")}">Transcripts</a></p>\n'
    return shell.page(title, body, nonce)
