from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import backend as gr
from backend import Settings, create_app


def yes_man(message: str, history: list[dict[str, Any]]) -> str:
    return "Yes" if message.endswith("?") else "Ask me anything!"


async def config_of(interface: gr.ChatInterface, **settings: Any) -> dict[str, Any]:
    app = create_app(interface, Settings.from_mapping(settings))
    async with app.test_app() as test_app:
        response = await test_app.test_client().get("/api/config")
        body: dict[str, Any] = await response.get_json()
        return body


async def test_the_guides_yes_man(tmp_path: Path) -> None:
    icon = tmp_path / "tomato.png"
    icon.write_bytes(b"\x89PNG\r\n\x1a\n")
    demo = gr.ChatInterface(
        yes_man,
        type="messages",
        chatbot=gr.Chatbot(height=300, placeholder="<strong>Your Personal Yes-Man</strong>"),
        textbox=gr.Textbox(placeholder="Ask me a yes or no question", container=False, scale=7),
        title="Yes Man",
        description="Ask Yes Man any question",
        theme="ocean",
        examples=["Hello", "Am I cool?", "Are tomatoes vegetables?"],
        example_labels=["Say hello", "Cool?", "Tomatoes"],
        example_icons=[None, "https://example.com/cool.png", icon],
    )
    config = await config_of(demo)
    assert config["title"] == "Yes Man" and config["description"] == "Ask Yes Man any question"
    assert config["placeholder"] == "<strong>Your Personal Yes-Man</strong>"
    assert config["chatbot"]["height"] == "300px"
    assert config["textbox"]["placeholder"] == "Ask me a yes or no question"
    assert config["theme"]["name"] == "ocean" and config["theme"]["light"]["primary"] == "#0e7490"
    examples = config["examples"]
    assert [e["text"] for e in examples] == ["Hello", "Am I cool?", "Are tomatoes vegetables?"]
    assert [e["label"] for e in examples] == ["Say hello", "Cool?", "Tomatoes"]
    assert examples[0]["icon"] is None
    assert examples[1]["icon"] == "https://example.com/cool.png"
    assert examples[2]["icon"].startswith("http://localhost/api/assets/")
    assert not any(e["cached"] for e in examples)


async def test_asset_urls_use_the_public_url() -> None:
    image = Path(__file__).parent.parent / "apps" / "avatar.png"
    demo = gr.ChatInterface(yes_man, chatbot=gr.Chatbot(avatar_images=(None, image)))
    config = await config_of(demo, public_url="https://bot.example.com")
    visitor, bot = config["chatbot"]["avatar_images"]
    assert visitor is None and bot.startswith("https://bot.example.com/api/assets/")


async def test_assets_are_served_by_id_only() -> None:
    image = Path(__file__).parent.parent / "apps" / "avatar.png"
    demo = gr.ChatInterface(yes_man, chatbot=gr.Chatbot(avatar_images=(image, None)))
    app = create_app(demo, Settings())
    async with app.test_app() as test_app:
        client = test_app.test_client()
        config = await (await client.get("/api/config")).get_json()
        path = config["chatbot"]["avatar_images"][0].removeprefix("http://localhost")
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert await response.get_data(as_text=False) == image.read_bytes()
        for guess in (
            "/api/assets/avatar.png",
            "/api/assets/..%2Fapps%2Favatar.png",
            "/api/assets/x",
        ):
            missing = await client.get(guess)
            assert missing.status_code == 404
            assert json.loads(await missing.get_data(as_text=False))["code"] == "not_found"


async def test_textbox_max_length_is_enforced_by_the_server() -> None:
    demo = gr.ChatInterface(yes_man, textbox=gr.Textbox(max_length=10))
    config = await config_of(demo)
    assert config["textbox"]["max_length"] == 10 and config["limits"]["max_message_chars"] == 10
    app = create_app(demo, Settings())
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat",
            data=json.dumps({"message": "x" * 11}),
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 422
    assert "limit is 10" in json.loads(await response.get_data(as_text=False))["error"]


async def test_chatinterface_arguments_reach_the_widget() -> None:
    config = await config_of(gr.ChatInterface(yes_man))
    assert (config["textbox"]["submit_btn"], config["textbox"]["stop_btn"]) == (True, True)
    assert config["textbox"]["focus_on_open"] is True and config["textbox"]["autofocus"] is False
    assert (config["chatbot"]["autoscroll"], config["chatbot"]["show_progress"]) == (
        True,
        "minimal",
    )
    assert config["examples_label"] == "Examples"
    demo = gr.ChatInterface(
        yes_man,
        submit_btn="Ask",
        stop_btn=False,
        autofocus=False,
        autoscroll=False,
        show_progress="hidden",
        examples_label="Try one",
        analytics_enabled=True,
        concurrency_limit=2,
    )
    config = await config_of(demo)
    assert (config["textbox"]["submit_btn"], config["textbox"]["stop_btn"]) == ("Ask", False)
    assert config["textbox"]["focus_on_open"] is False
    assert (config["chatbot"]["autoscroll"], config["chatbot"]["show_progress"]) == (
        False,
        "hidden",
    )
    assert config["examples_label"] == "Try one"
    # Nothing about analytics or the server's own limits goes to the browser.
    assert "analytics" not in json.dumps(config) and "concurrency" not in json.dumps(config)


async def test_a_theme_object_or_the_blocks_theme_is_the_palette() -> None:
    theme = gr.themes.Soft(primary_hue="emerald").set(body_background_fill_dark="#000000")
    config = await config_of(gr.ChatInterface(yes_man, theme=theme))
    assert config["theme"]["name"] == "soft"
    assert config["theme"]["light"]["primary"] == gr.themes.colors.emerald.c700
    assert config["theme"]["dark"]["background"] == "#000000"
    with gr.Blocks(theme=gr.themes.Ocean()) as demo:
        gr.ChatInterface(yes_man)
    config = await config_of(demo.interface)
    assert config["theme"]["name"] == "ocean" and config["theme"]["light"]["primary"] == "#0e7490"
    with gr.Blocks(theme="soft") as demo:
        gr.ChatInterface(yes_man, theme="citrus")
    assert (await config_of(demo.interface))["theme"]["name"] == "citrus"  # its own wins


async def test_the_locale_setting_reaches_the_widget() -> None:
    demo = gr.ChatInterface(yes_man)
    assert (await config_of(demo))["locale"] is None
    assert (await config_of(demo, locale="pt-BR"))["locale"] == "pt-BR"


async def test_the_greeting_settings_reach_the_widget() -> None:
    demo = gr.ChatInterface(yes_man)
    assert (await config_of(demo))["greeting"] is None
    config = await config_of(demo, greeting="  Questions? Ask us!  ", greeting_delay="8")
    assert config["greeting"] == {"text": "Questions? Ask us!", "delay": 8.0}
    # A delay alone applies to the script tag's data-greeting.
    assert (await config_of(demo, greeting_delay=2.5))["greeting"] == {"text": None, "delay": 2.5}


async def test_the_notice_consent_and_privacy_settings_reach_the_widget() -> None:
    demo = gr.ChatInterface(yes_man)
    config = await config_of(demo)
    assert (config["notice"], config["consent"], config["privacy_url"]) == (None, None, None)
    config = await config_of(
        demo,
        notice="  You are chatting with an **AI** assistant.  ",
        consent="true",
        privacy_url="https://example.com/privacy",
    )
    assert config["notice"] == "You are chatting with an **AI** assistant."
    assert config["consent"] is True
    assert config["privacy_url"] == "https://example.com/privacy"
    assert (await config_of(demo, consent="May we read along?"))["consent"] == "May we read along?"
    assert (await config_of(demo, consent="off"))["consent"] is None
