"""What the server's own pages get beside the chat: ``favicon_path`` at ``/favicon.ico``."""

from __future__ import annotations

from pathlib import Path

import pytest

import backend as gr
from backend import Settings, create_app
from backend.settings import SettingsError

ICON = b"\x00\x00\x01\x00fake icon"


def echo(message: str, history: list[object]) -> str:
    return message


async def test_favicon_path_is_served_at_favicon_ico(tmp_path: Path) -> None:
    icon = tmp_path / "bot.ico"
    icon.write_bytes(ICON)
    app = create_app(gr.ChatInterface(echo), Settings(favicon_path=str(icon)))
    async with app.test_app() as test_app:
        response = await test_app.test_client().get("/favicon.ico")
        assert response.status_code == 200 and await response.get_data() == ICON
        assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    without = create_app(gr.ChatInterface(echo), Settings())
    async with without.test_app() as test_app:
        missing = await test_app.test_client().get("/favicon.ico")
        assert missing.status_code == 404
        assert (await missing.get_json())["code"] == "not_found"


def test_a_missing_favicon_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="favicon_path"):
        Settings(favicon_path=str(tmp_path / "nope.ico"))
