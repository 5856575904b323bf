"""``GET /api/config``: what the widget needs to show this chat (``widget_config.py``), and
whether it must log in first (``login``: the message above the form). The app's
``i18n("key")`` texts go out in the visitor's locale (``?locale=``, else ``Accept-Language``:
``visitor_locale.py``)."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

from quart import Blueprint, Response, jsonify, request

from ..components.i18n import resolve
from .gzip_stream import accepts
from .history_routes import server_history
from .visitor_deletes import anonymous_copy
from .visitor_locale import vary_by_locale, visitor_locale
from .widget_config import widget_config

if TYPE_CHECKING:
    from .state import AppState


def config_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_config", __name__)

    @bp.get("/api/config")
    async def config() -> Response:
        body = widget_config(
            state.interface, state.settings, state.base_url(), state.example_files
        )
        # Public even when the app has a login: the widget learns it must show the form.
        body["login"] = {"message": state.login.message} if state.login is not None else None
        # Signed-in visitors' history is on the server (history_routes.py).
        body["server_history"] = server_history(state)
        # Anonymous visitors' turns are stored too: their delete removes the server's copy.
        body["server_copy"] = anonymous_copy(state)
        catalog = state.interface.i18n
        response = jsonify(resolve(body, catalog, visitor_locale(catalog, state.settings.locale)))
        response.headers["Cache-Control"] = "no-cache"
        vary_by_locale(response)
        # Every page with the widget asks for it before the first answer: gzipped, it is about
        # half its size on the wire.
        response.headers.add("Vary", "Accept-Encoding")
        if accepts(request.headers.get("Accept-Encoding", ""), "gzip"):
            response.set_data(gzip.compress(await response.get_data(as_text=False), 6, mtime=0))
            response.headers["Content-Encoding"] = "gzip"
        return response

    return bp
