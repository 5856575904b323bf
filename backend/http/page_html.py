"""The HTML of the full-page chat at the server's own ``/`` (``page_routes.py``), and the
Content-Security-Policy it is served under.

The page is a small shell: a plain background for light and dark, an element the widget fills
(``data-mode="inline"``: the same ``widget.js`` other sites load, so the chat looks and works
the same), a footer with "Use via API". Everything the operator wrote (title, ``head``, ``js``)
is theirs: the title is escaped, ``head`` goes in as HTML with the request's nonce on its
``<script>``, ``<style>`` and ``<link>`` tags, ``js`` is called once the page has loaded.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

#: ``gr.Chatbot``'s height when the chat does not fill the window (Gradio's default is 400px
#: for the Chatbot alone; the page's chat also holds the composer).
DEFAULT_HEIGHT = "600px"

#: The page's own scripts and styles carry the nonce; the widget's come from this server.
CSP = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "connect-src 'self'; img-src 'self' data: blob: https:; media-src 'self' blob:; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)

#: The start of an element whose loading the CSP checks by nonce.
_NONCED_TAG = re.compile(r"<(script|style|link)(?=[\s>/])", re.IGNORECASE)

_SHELL_CSS = """\
html,body{{margin:0}}
body{{display:flex;flex-direction:column;min-height:100vh;min-height:100dvh;\
background:#fff;color:#1f2937;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}}
@media (prefers-color-scheme:dark){{body{{background:#0b0f19;color:#e5e7eb}}}}
main{{box-sizing:border-box;display:flex;flex-direction:column;width:100%;{width}\
margin:0 auto;padding:16px}}
#chat{{{height}}}
footer{{flex:none;padding:6px 16px 10px;text-align:center;font-size:12px;opacity:.75}}
footer a{{color:inherit}}
"""

_FILL_HEIGHT = (
    "body{height:100vh;height:100dvh}main{flex:1;min-height:0}",
    "flex:1;min-height:0",
)


@dataclass(frozen=True)
class ChatPage:
    """What the shell shows: the app's title, how the chat is sized, the operator's head and
    js, and where the widget and the API page are (``prefix``: the ``root_path``'s path)."""

    title: str
    prefix: str
    fill_height: bool
    fill_width: bool
    height: str | None = None
    head: str = ""
    js: str | None = None
    api_link: bool = True
    #: Whether ``/favicon.ico`` has an icon (else the page names none, and no 404 is asked).
    favicon: bool = False
    #: The page's language (the visitor's locale of the app's ``gr.I18n``, else English).
    lang: str = "en"

    def css(self) -> str:
        width = "" if self.fill_width else "max-width:1000px;"
        if self.fill_height:
            extra, height = _FILL_HEIGHT
        else:
            extra, height = "", f"height:{self.height or DEFAULT_HEIGHT}"
        return _SHELL_CSS.format(width=width, height=height) + extra

    def render(self, nonce: str) -> str:
        """The page, its own scripts and styles carrying ``nonce``."""
        prefix = html.escape(self.prefix)
        parts = [
            f'<!doctype html>\n<html lang="{html.escape(self.lang)}">\n<head>\n'
            '<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{html.escape(self.title)}</title>\n",
            f'<link rel="icon" href="{prefix + "/favicon.ico" if self.favicon else "data:,"}">\n',
            f'<style nonce="{nonce}">\n{self.css()}</style>\n',
        ]
        if self.head:
            parts.append(with_nonce(self.head, nonce) + "\n")
        parts += [
            "</head>\n<body>\n<main>\n",
            '<div id="chat"></div>\n',
            "</main>\n",
        ]
        if self.api_link:
            parts.append(f'<footer><a href="{prefix}/?view=api">Use via API</a></footer>\n')
        parts.append(
            f'<script src="{prefix}/widget.js" data-mode="inline" data-target="#chat" '
            'data-theme="auto" '
            "async></script>\n"
        )
        if self.js:
            parts.append(f'<script nonce="{nonce}">{run_on_load(self.js)}</script>\n')
        parts.append("</body>\n</html>\n")
        return "".join(parts)


def with_nonce(head: str, nonce: str) -> str:
    """``head`` with ``nonce="..."`` on each ``<script>``, ``<style>`` and ``<link>`` tag."""
    return _NONCED_TAG.sub(lambda tag: f'<{tag[1]} nonce="{nonce}"', head)


def run_on_load(js: str) -> str:
    """A script that calls the function ``js`` is the source of once the page has loaded (as
    Gradio does), its errors logged to the console. ``</`` is written ``<\\/``, so no
    ``</script>`` inside ``js`` ends the element early."""
    source = js.replace("</", "<\\/").replace("<!--", "<\\!--")
    return (
        'addEventListener("load",()=>{(async()=>{await('
        + source
        + '\n)()})().catch(e=>console.error("js:",e))})'
    )


def csp(nonce: str) -> str:
    return CSP.format(nonce=nonce)
