"""The console's page shell: one stylesheet (carrying the response's nonce), the navigation,
and ``esc`` for every value that goes into HTML. The pages themselves are in ``pages.py``,
``overview.py`` and ``transcript_page.py``; none puts a value into HTML unescaped."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime

#: The console's Content-Security-Policy: its own scripts and styles by nonce or from itself.
CSP = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

STYLE = """\
body{margin:0;background:#fff;color:#1f2937;
font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
header{background:#111827;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
header a{color:#fff}header .brand{font-weight:600;margin-inline-end:auto}
header form{margin:0}header button{font:inherit}header nav{display:flex;gap:12px}
main{max-width:1100px;margin:0 auto;padding:16px}
a{color:#1d4ed8}h1{font-size:22px;margin:8px 0 16px}h2{font-size:17px;margin:20px 0 8px}
table{border-collapse:collapse;width:100%}
th,td{text-align:start;padding:6px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{background:#f3f4f6}
.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end;margin-bottom:12px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:#374151}
input,select,button{font:inherit;padding:4px 6px}
button{cursor:pointer}
.danger{background:#b91c1c;color:#fff;border:1px solid #991b1b;border-radius:4px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
figure{margin:0;border:1px solid #e5e7eb;border-radius:6px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}
.chart{min-height:240px}.chart th{background:none}
.totals{display:flex;flex-wrap:wrap;gap:8px 24px;margin:0 0 16px}
.totals div{display:flex;flex-direction:column}
.totals dt{font-size:12px;color:#374151}.totals dd{margin:0;font-size:20px;font-weight:600}
.message{border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px;margin:8px 0}
.message.user{background:#f9fafb}.meta{font-size:12px;color:#374151}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
.error{color:#991b1b}
.feedback{border-inline-start:3px solid #6b7280;padding-inline-start:8px;margin-top:6px}
.pager{display:flex;gap:16px;margin-top:12px}
.notice{padding:8px 12px;background:#fef2f2;color:#991b1b;border:1px solid #fecaca;
border-radius:4px}
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def when(at: float | None) -> str:
    """A time as the console shows it (UTC)."""
    if not at:
        return ""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class Shell:
    """Where the console is (``prefix``: the app's ``root_path`` path) and, when logged in,
    the CSRF token of the logout form."""

    prefix: str
    csrf: str = ""

    def url(self, path: str) -> str:
        return esc(f"{self.prefix}/admin{path}")

    def page(self, title: str, body: str, nonce: str, *, head: str = "") -> str:
        nav = ""
        if self.csrf:
            nav = (
                f'<nav aria-label="Console"><a href="{self.url("")}">Overview</a> '
                f'<a href="{self.url("/transcripts")}">Transcripts</a></nav>'
                f'<form method="post" action="{self.url("/logout")}">'
                f'<input type="hidden" name="csrf" value="{esc(self.csrf)}">'
                '<button type="submit">Log out</button></form>'
            )
        return (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} · chatbubble console</title>\n"
            '<link rel="icon" href="data:,">\n'
            f'<style nonce="{esc(nonce)}">\n{STYLE}</style>\n{head}'
            "</head>\n<body>\n"
            f'<header><span class="brand">chatbubble console</span>{nav}</header>\n'
            f"<main>\n<h1>{esc(title)}</h1>\n{body}</main>\n</body>\n</html>\n"
        )


def csp(nonce: str) -> str:
    return CSP.format(nonce=nonce)
