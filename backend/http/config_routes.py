"""``GET /api/config``: what the widget needs to show this chat (``widget_config.py``), and
whether it must log in first (``login``: the message above the form)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quart import Blueprint, Response, jsonify

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
        response = jsonify(body)
        response.headers["Cache-Control"] = "no-cache"
        return response

    return bp
