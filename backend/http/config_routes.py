"""``GET /api/config``: what the widget needs to show this chat (``widget_config.py``)."""

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
        response = jsonify(
            widget_config(state.interface, state.settings, state.base_url(), state.example_files)
        )
        response.headers["Cache-Control"] = "no-cache"
        return response

    return bp
