"""The login (``launch(auth=...)`` / the ``auth`` setting) over HTTP: what stays public, what
needs a token, Gradio's cookies, the username the chat function sees, the attempts limit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from quart.typing import TestClientProtocol as Client

import backend as gr
from backend import Settings, create_app
from backend.chat.launching import apply_login
from backend.http.login import PUBLIC
from tests.helpers import answer_text, parse_events

BASE = {"flush_interval": 0.0, "secret": "test secret", "message_rate_limit": 0}


def answer(message: dict[str, Any], history: list[Any], request: gr.Request) -> str:
    return f"{request.username} said {message['text']}"


async def allow_carl(username: str, password: str) -> bool:
    return username == "carl" and password == "c"


def make(auth: Any = ("ann", "pw"), message: str | None = "Ask **Ann**", **settings: Any) -> Any:
    demo = gr.ChatInterface(answer, multimodal=True, api_name="chat")
    apply_login(demo, auth, message)
    return create_app(demo, Settings.from_mapping({**BASE, **settings}))


@pytest.fixture(name="client")
async def _client() -> AsyncIterator[Client]:
    async with make().test_app() as test_app:
        yield test_app.test_client()


async def log_in(client: Client, username: str, password: str) -> Any:
    return await client.post("/login", json={"username": username, "password": password})


async def chat(client: Client, **headers: str) -> Any:
    return await client.post(
        "/api/chat",
        json={"message": {"text": "hi"}},
        headers={"Accept-Encoding": "identity", **headers},
    )


async def test_the_widget_learns_it_must_log_in_and_its_files_stay_public(client: Client) -> None:
    config = await (await client.get("/api/config")).get_json()
    assert config["login"] == {"message": "Ask **Ann**"}
    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/widget.js")).status_code in (200, 503)  # 503: not built here
    # Files go by unguessable server-issued ids (an <img> cannot send a token): 404, not 401.
    assert (await client.get("/api/files/" + "a" * 32)).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/chat"), ("POST", "/api/upload"), ("POST", "/api/feedback"),
     ("POST", "/api/event"), ("POST", "/api/streams/x"), ("GET", "/config"),
     ("GET", "/gradio_api/info"),
     ("POST", "/gradio_api/queue/join"), ("POST", "/gradio_api/upload"),
     ("POST", "/gradio_api/call/chat"), ("GET", "/openapi.json"), ("GET", "/v1/models"),
     ("POST", "/v1/chat/completions"), ("GET", "/login_check")],
)  # fmt: skip
async def test_every_route_with_data_needs_a_login(client: Client, method: str, path: str) -> None:
    response = await client.open(path, method=method, json={})
    body = await response.get_json()
    assert response.status_code == 401, (path, body)
    if path.startswith("/v1"):  # in OpenAI's shape, as every /v1 error
        assert body["error"]["code"] == "login_required"
        return
    assert body["code"] == "login_required" and body["error"] == "Please log in to use this chat."
    # Gradio's shape beside ours: @gradio/client shows the auth_message.
    assert body["detail"] == {"error": "Not authenticated", "auth_message": "Ask **Ann**"}


async def test_the_mcp_tool_needs_a_login_too() -> None:
    async with make(mcp_server=True).test_app() as test_app:
        client = test_app.test_client()
        refused = await client.post("/gradio_api/mcp/", json={})
        assert refused.status_code == 401
        assert (await refused.get_json())["code"] == "login_required"


async def test_a_wrong_password_is_a_readable_401(client: Client) -> None:
    for username, password in (("ann", "PW"), ("bob", "pw"), ("", "")):
        response = await log_in(client, username, password)
        body = await response.get_json()
        assert response.status_code == 401 and body["code"] == "invalid_credentials"
        assert body["error"] == "Incorrect username or password."
        assert "set-cookie" not in response.headers
    response = await client.post("/login", json={"username": "ann"})
    assert response.status_code == 422


async def test_a_bearer_token_logs_the_widget_in() -> None:
    async with make().test_app() as test_app:
        response = await log_in(test_app.test_client(), " ann ", "pw")
        client = test_app.test_client()  # no cookies: the widget's cross-origin fetch
        await bearer_calls(client, await response.get_json())


async def bearer_calls(client: Client, body: dict[str, Any]) -> None:
    assert body["success"] is True and body["username"] == "ann"
    token = body["token"]
    refused = await chat(client, Authorization="Bearer " + token[:-2] + "xx")
    assert refused.status_code == 401
    answered = await chat(client, Authorization="Bearer " + token)
    assert answered.status_code == 200
    assert answer_text(parse_events(await answered.get_data(as_text=False))) == "ann said hi"
    check = await client.get("/login_check", headers={"Authorization": f"Bearer {token}"})
    assert check.status_code == 200


async def test_gradios_form_login_sets_its_two_cookies() -> None:
    app = make()
    async with app.test_app() as test_app:
        client = test_app.test_client()
        form = b"username=ann&password=pw"  # as gradio_client sends it (with its length)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(form)),
        }
        response = await client.post("/login", data=form, headers=headers)
        assert response.status_code == 200
        cookies = response.headers.get_all("Set-Cookie")
        login = app.extensions["chatbubble"].login
        secure, plain = login.cookie_names
        assert secure.startswith("access-token-") and plain.startswith("access-token-unsecure-")
        assert any(
            c.startswith(secure + "=") and "Secure" in c and "SameSite=None" in c for c in cookies
        )
        assert any(c.startswith(plain + "=") and "HttpOnly" in c for c in cookies)
        token = (await response.get_json())["token"]
        for name in (secure, plain):
            fresh = test_app.test_client()
            fresh.set_cookie("127.0.0.1", name, token)
            assert (await fresh.get("/gradio_api/info")).status_code == 200
        logout = await client.get("/logout")
        assert logout.status_code == 200 and len(logout.headers.get_all("Set-Cookie")) == 2


async def test_a_function_decides_and_the_setting_adds_accounts() -> None:
    demo = gr.ChatInterface(answer)
    apply_login(demo, allow_carl, None)
    app = create_app(demo, Settings.from_mapping({**BASE, "auth": ("dora:d",)}))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        assert (await (await client.get("/api/config")).get_json())["login"] == {"message": None}
        assert (await log_in(client, "carl", "c")).status_code == 200
        assert (await log_in(client, "carl", "x")).status_code == 401
        assert (await log_in(client, "dora", "d")).status_code == 200


async def test_the_setting_alone_asks_for_a_login() -> None:
    demo = gr.ChatInterface(answer, multimodal=True)
    async with create_app(
        demo, Settings.from_mapping({**BASE, "auth": "eve:e"})
    ).test_app() as test_app:
        client = test_app.test_client()
        assert (await chat(client)).status_code == 401
        assert (await log_in(client, "eve", "e")).status_code == 200


async def test_without_auth_nothing_changes() -> None:
    demo = gr.ChatInterface(answer, multimodal=True)
    async with create_app(demo, Settings.from_mapping(BASE)).test_app() as test_app:
        client = test_app.test_client()
        assert (await (await client.get("/api/config")).get_json())["login"] is None
        answered = await chat(client)
        assert answer_text(parse_events(await answered.get_data(as_text=False))) == "None said hi"
        assert (await log_in(client, "ann", "pw")).status_code in (404, 405)


async def test_login_attempts_are_rate_limited() -> None:
    async with make(login_rate_limit=3).test_app() as test_app:
        client = test_app.test_client()
        statuses = [(await log_in(client, "ann", "bad")).status_code for _ in range(3)]
        assert statuses == [401, 401, 401]
        limited = await log_in(client, "ann", "pw")  # even the right password waits now
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert (await limited.get_json())["code"] == "rate_limited"


async def test_v1_with_its_own_key_takes_that_key_or_a_login() -> None:
    async with make(api_key="k").test_app() as test_app:
        client = test_app.test_client()
        assert (
            await client.get("/v1/models", headers={"Authorization": "Bearer k"})
        ).status_code == 200
        assert (
            await client.get("/v1/models", headers={"Authorization": "Bearer x"})
        ).status_code == 401
    async with make().test_app() as test_app:
        client = test_app.test_client()
        token = (await (await log_in(client, "ann", "pw")).get_json())["token"]
        models = await client.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
        assert models.status_code == 200
        assert json.loads(await models.get_data())["object"] == "list"


async def test_a_form_without_a_length_is_refused() -> None:
    """A chunked form could be as large as the app's largest upload, on a public route."""
    app = make()
    async with app.test_app() as test_app:
        client = test_app.test_client()
        response = await client.post("/login", form={"username": "ann", "password": "pw"})
    assert response.status_code == 422
    assert (await response.get_json())["error"] == "Send the login form with a Content-Length."


def test_everything_the_page_loads_to_show_the_bubble_is_public() -> None:
    """The widget's own routes (its script, chunks, assets, fonts) are loaded by the host page
    without the token: each must be public, or a logged-in app shows a broken bubble."""
    widget_routes = {
        rule.endpoint for rule in make().url_map.iter_rules()
        if rule.endpoint.startswith("chatbubble_widget.")
    }  # fmt: skip
    assert widget_routes and widget_routes <= PUBLIC, widget_routes - PUBLIC
