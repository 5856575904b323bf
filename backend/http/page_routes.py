"""``GET /``: the chat as a full page, as Gradio shows it at its URL (``page_html.py``), and
``GET /?view=api``: the page behind its "Use via API" link (``api_page.py``). The app's
``i18n("key")`` texts (its title, the API page's labels) are in the visitor's locale
(``visitor_locale.py``).

Both are public when the app has a login (as ``/widget.js``: the widget shows its login form)
and are served under a strict Content-Security-Policy with a fresh nonce per response (so
``Cache-Control: no-store``). ``fill_height``/``fill_width``, ``js`` and ``head``/``head_paths``
act here only, never on the widget other sites embed.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import TYPE_CHECKING

from quart import Blueprint, Response, request

from ..components.blocks import enclosing
from ..components.i18n import resolve, resolve_text
from .api_page import api_page
from .gradio.endpoint import endpoint
from .gradio.info import info_document
from .page_html import ChatPage, csp
from .visitor_locale import vary_by_locale, visitor_locale

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface
    from .state import AppState

#: The page's title when the app has none.
DEFAULT_TITLE = "Chat"


def page_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_page", __name__)

    @bp.get("/")
    async def page() -> Response:
        nonce = secrets.token_urlsafe(18)
        interface = state.interface
        catalog = interface.i18n
        locale = visitor_locale(catalog, state.settings.locale)
        if request.args.get("view") == "api":
            body = api_page(
                resolve_text(page_title(interface), catalog, locale),
                state.base_url(),
                resolve(info_document(endpoint(interface)), catalog, locale),
                nonce,
                login=state.login is not None,
                openai=state.settings.openai_api,
            )
        else:
            page = chat_page(state)
            title = resolve_text(page.title, catalog, locale)
            body = replace(page, title=title, lang=locale or "en").render(nonce)
        response = Response(body, mimetype="text/html")
        vary_by_locale(response)
        response.headers["Content-Security-Policy"] = csp(nonce)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    return bp


def page_title(interface: ChatInterface) -> str:
    """The interface's title, else its Blocks', else "Chat"."""
    around = enclosing(interface)
    return interface.title or (around.title if around else None) or DEFAULT_TITLE


def chat_page(state: AppState) -> ChatPage:
    interface = state.interface
    options = interface.full_page
    around = enclosing(interface)
    if around is not None:  # the Blocks' page (Gradio: fill_height=False by default)
        fill_height = bool(around.layout.get("fill_height", False))
        fill_width = bool(around.layout.get("fill_width", False))
    else:
        fill_height = True if options.fill_height is None else options.fill_height
        fill_width = bool(options.fill_width)
    site = state.site_dir
    return ChatPage(
        title=page_title(interface),
        prefix=state.settings.path_prefix,
        fill_height=fill_height,
        fill_width=fill_width,
        height=interface.chatbot.height,
        head=options.head,
        js=options.js,
        api_link=options.api_link and interface.api_visibility == "public",
        favicon=bool(state.settings.favicon_path)
        or (site is not None and (site / "favicon.ico").is_file()),
    )
