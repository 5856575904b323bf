"""``root_path``: every URL the server hands out carries the prefix (or is the full URL given).
That the routes answer with the prefix too, and behind nginx: tests/test_behind_nginx.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import backend as gr
from backend import Settings, create_app
from backend.settings import SettingsError

AVATAR = Path(__file__).resolve().parents[1] / "apps" / "avatar.png"


def answer(message: dict[str, object], history: list[object]) -> str:
    return "ok"


def app(**settings: object) -> Any:
    demo = gr.ChatInterface(
        answer, multimodal=True, chatbot=gr.Chatbot(avatar_images=(None, AVATAR))
    )
    return create_app(demo, Settings.from_mapping({"flush_interval": 0.0, **settings}))


async def test_urls_carry_the_prefix() -> None:
    # Quart's test client calls the app past its ASGI middleware: the paths as a stripping
    # proxy passes them on.
    async with app(root_path="/bot/").test_app() as test_app:
        client = test_app.test_client()
        config = await (await client.get("/api/config")).get_json()
        avatar = config["chatbot"]["avatar_images"][1]
        assert avatar.startswith("http://localhost/bot/api/assets/")
        gradio = await (await client.get("/config")).get_json()
        assert gradio["root"] == "http://localhost/bot"
        uploaded = await client.post(
            "/api/upload?name=a.txt", data=b"hello", headers={"Content-Type": "text/plain"}
        )
        url = (await uploaded.get_json())["url"]
        assert url.startswith("http://localhost/bot/api/files/")
        served = await client.get(url.removeprefix("http://localhost/bot"))
        assert await served.get_data() == b"hello"


async def test_a_full_url_is_used_as_it_is() -> None:
    async with app(root_path="https://shop.example/bot").test_app() as test_app:
        client = test_app.test_client()
        config = await (await client.get("/api/config")).get_json()
        assert config["chatbot"]["avatar_images"][1].startswith("https://shop.example/bot/api/")


def test_the_printed_address_and_bad_values() -> None:
    assert Settings(port=8000, root_path="/bot").base_url == "http://127.0.0.1:8000/bot"
    assert Settings(root_path="https://a.example/x/").base_url == "https://a.example/x"
    public = Settings(public_url="https://b.example", root_path="/bot")
    assert public.base_url == "https://b.example"
    with pytest.raises(SettingsError, match="root_path"):
        Settings(root_path="bot")
