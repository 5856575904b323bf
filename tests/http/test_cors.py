from __future__ import annotations

from werkzeug.datastructures import Headers

import backend as gr
from backend import Settings, create_app
from backend.http.cors import OriginPolicy, normalize


def test_normalize() -> None:
    assert normalize("HTTPS://Shop.Example:443") == "https://shop.example"
    assert normalize("http://a.example:80") == "http://a.example"
    assert normalize("http://a.example:8080") == "http://a.example:8080"


def test_open_policy() -> None:
    policy = OriginPolicy(())
    headers = Headers()
    policy.apply(headers, "https://any.example")
    assert policy.allows("https://any.example") and headers["Access-Control-Allow-Origin"] == "*"


def test_closed_policy_echoes_only_allowed_origins() -> None:
    policy = OriginPolicy(["https://a.example"])
    assert policy.allows(None)  # no Origin: not a cross-origin page
    allowed, refused = Headers(), Headers()
    policy.apply(allowed, "https://a.example")
    policy.apply(refused, "https://b.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Access-Control-Allow-Origin" not in refused
    assert allowed["Vary"] == "Origin" == refused["Vary"]


def test_strict_cors_keeps_a_local_server_to_local_pages() -> None:
    """Gradio's rule (measured in 6.31's CORS middleware): reached at localhost, 127.0.0.1 or
    0.0.0.0, the server answers only pages on those hosts, never a ``null`` origin."""
    strict = OriginPolicy([], strict=True)
    for host in ("localhost:8000", "127.0.0.1:8000", "0.0.0.0", "LOCALHOST"):
        assert strict.allows("http://localhost:5500", host)
        assert strict.allows("https://127.0.0.1", host)
        assert not strict.allows("https://shop.example", host)
        assert not strict.allows("null", host)
    # Reached at a public name, it is the usual policy (any origin here).
    assert strict.allows("https://shop.example", "bot.example.com")
    assert strict.allows("null", "bot.example.com")
    assert strict.allows(None, "127.0.0.1:8000")  # a program, not a page
    # Without strict_cors (the setting's default for `backend serve`): any origin.
    assert OriginPolicy([]).allows("https://shop.example", "127.0.0.1:8000")
    # With allowed_origins too, both must agree.
    listed = OriginPolicy(["https://shop.example", "http://localhost:5500"], strict=True)
    assert not listed.allows("https://shop.example", "127.0.0.1")
    assert listed.allows("https://shop.example", "bot.example.com")
    assert listed.allows("http://localhost:5500", "127.0.0.1")
    assert not listed.allows("http://localhost:5501", "127.0.0.1")


def echo(message: str, history: list[object]) -> str:
    return message


async def test_strict_cors_refuses_other_websites_at_localhost() -> None:
    app = create_app(gr.ChatInterface(echo), Settings(strict_cors=True, flush_interval=0.0))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        refused = await client.get(
            "/api/config", headers={"Origin": "https://shop.example", "Host": "127.0.0.1:8000"}
        )
        assert refused.status_code == 403
        assert (await refused.get_json())["code"] == "origin_not_allowed"
        local = await client.get(
            "/api/config", headers={"Origin": "http://localhost:5500", "Host": "127.0.0.1:8000"}
        )
        assert local.status_code == 200
        public = await client.get(
            "/api/config", headers={"Origin": "https://shop.example", "Host": "bot.example.com"}
        )
        assert public.status_code == 200
        preflight = await client.options(
            "/api/chat",
            headers={
                "Origin": "null",
                "Host": "localhost",
                "Access-Control-Request-Method": "POST",
            },
        )
        assert preflight.status_code == 403


async def test_each_response_carries_only_the_headers_that_do_something_for_it() -> None:
    """Scripts are never documents: no frame or referrer policy on them (every page with the
    widget downloads them); nosniff everywhere; the exposed-header list only on a chat stream,
    the one response that carries X-Stream-Id."""
    app = create_app(gr.ChatInterface(echo), Settings(flush_interval=0.0))
    origin = {"Origin": "https://shop.example"}
    async with app.test_app() as test_app:
        client = test_app.test_client()
        script = await client.get("/widget.js", headers=origin)
        config = await client.get("/api/config", headers=origin)
        chat = await client.post("/api/chat", json={"message": "hi"}, headers=origin)
        await chat.get_data()
    assert script.status_code == config.status_code == chat.status_code == 200
    for response in (script, config, chat):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Frame-Options" not in script.headers
    assert "Referrer-Policy" not in script.headers
    for document_like in (config, chat):
        assert document_like.headers["X-Frame-Options"] == "DENY"
        assert document_like.headers["Referrer-Policy"] == "no-referrer"
    assert chat.headers["X-Stream-Id"]
    assert chat.headers["Access-Control-Expose-Headers"] == "X-Stream-Id"
    assert "Access-Control-Expose-Headers" not in script.headers
    assert "Access-Control-Expose-Headers" not in config.headers
