"""The full-page chat at ``/`` and its API page at ``/?view=api``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import Headers

import backend as gr
from backend import Settings, create_app


@pytest.fixture(autouse=True)
def _in_a_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The apps keep their signing secret in ``.gradio/flagged/`` under the working directory
    when they start (``test_app``): here, a temp dir."""
    monkeypatch.chdir(tmp_path)


def echo(message: str, history: list[object]) -> str:
    return message


def echo_count(message: str, history: list[object], count: float) -> str:
    return message * int(count)


async def fetch(app: Any, path: str = "/", **kwargs: Any) -> tuple[int, Headers, str]:
    async with app.test_app() as test_app:
        response = await test_app.test_client().get(path, **kwargs)
        return response.status_code, response.headers, await response.get_data(as_text=True)


def nonce_of(headers: Headers) -> str:
    policy = headers["Content-Security-Policy"]
    found = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9_-]+)'", policy)
    assert found, policy
    return found[1]


async def test_a_plain_app_is_a_full_page_chat() -> None:
    status, headers, page = await fetch(create_app(gr.ChatInterface(echo)))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert "<title>Chat</title>" in page
    assert 'name="viewport"' in page
    assert '<div id="chat"></div>' in page
    script = '<script src="/widget.js" data-mode="inline" data-target="#chat" data-theme="auto"'
    assert script + " async>" in page
    assert '<a href="/?view=api">Use via API</a>' in page
    assert '<link rel="icon" href="data:,">' in page  # no icon: no request that 404s
    nonce = nonce_of(headers)
    assert f'<style nonce="{nonce}">' in page
    policy = headers["Content-Security-Policy"]
    for directive in ("default-src 'none'", "connect-src 'self'", "font-src 'self'",
                      "base-uri 'none'", "frame-ancestors 'self'"):  # fmt: skip
        assert directive in policy
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    # fill_height (ChatInterface's default): the chat fills the window's height.
    assert "#chat{flex:1;min-height:0}" in page and "height:100dvh" in page
    assert "max-width:1000px" in page  # fill_width=False: a centred column


async def test_every_response_has_its_own_nonce_and_head_has_it() -> None:
    app = create_app(
        gr.ChatInterface(
            echo,
            head='<script src="https://cdn.example/x.js"></script><STYLE>p{}</STYLE>'
            '<link rel="stylesheet" href="/a.css"><meta name="x" content="y">',
        )
    )
    _, first, page = await fetch(app)
    _, second, _ = await fetch(app)
    nonce = nonce_of(first)
    assert nonce != nonce_of(second) and len(nonce) >= 16
    assert f'<script nonce="{nonce}" src="https://cdn.example/x.js"></script>' in page
    assert f'<STYLE nonce="{nonce}">p{{}}</STYLE>' in page
    assert f'<link nonce="{nonce}" rel="stylesheet" href="/a.css">' in page
    assert '<meta name="x" content="y">' in page
    assert page.index("cdn.example") < page.index("</head>")


async def test_head_paths_and_launch_head_are_added(tmp_path: Path) -> None:
    extra = tmp_path / "analytics.html"
    extra.write_text('<meta name="from-file" content="1">')
    demo = gr.ChatInterface(echo, head_paths=[extra])
    demo.apply_page(head='<meta name="from-launch" content="1">')
    _, _, page = await fetch(create_app(demo))
    head = page[: page.index("</head>")]
    assert '<meta name="from-file" content="1">' in head
    assert '<meta name="from-launch" content="1">' in head


async def test_js_runs_once_the_page_has_loaded_and_cannot_end_its_script() -> None:
    js = "() => { document.body.dataset.ran = '</script><b>x</b>'; }"
    _, headers, page = await fetch(create_app(gr.ChatInterface(echo, js=js)))
    nonce = nonce_of(headers)
    script = re.search(f'<script nonce="{nonce}">(.*?)</script>', page, re.S)
    assert script is not None
    assert 'addEventListener("load"' in script[1]
    assert "document.body.dataset.ran = '<\\/script><b>x<\\/b>'" in script[1]
    assert "<b>x</b>" not in page


async def test_fill_height_and_fill_width_change_the_shell() -> None:
    chatbot = gr.Chatbot(height=420)
    fixed_height = gr.ChatInterface(echo, fill_height=False, chatbot=chatbot)
    _, _, fixed = await fetch(create_app(fixed_height))
    assert "#chat{height:420px}" in fixed and "100dvh}main" not in fixed
    _, _, default = await fetch(create_app(gr.ChatInterface(echo, fill_height=False)))
    assert "#chat{height:600px}" in default
    _, _, wide = await fetch(create_app(gr.ChatInterface(echo, fill_width=True)))
    assert "max-width:1000px" not in wide


async def test_a_hostile_title_is_escaped() -> None:
    title = "</title><script>alert(1)</script>"
    demo = gr.ChatInterface(echo, title=title, api_description="<img src=x onerror=alert(1)>")
    _, _, page = await fetch(create_app(demo))
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "<script>alert(1)" not in page
    _, _, api = await fetch(create_app(demo), "/?view=api")
    assert "<script>alert(1)" not in api and "<img src=x" not in api
    assert "&lt;img src=x onerror=alert(1)&gt;" in api


async def test_the_api_page_lists_the_endpoint_with_snippets_for_the_public_url() -> None:
    demo = gr.ChatInterface(echo_count, api_name="ask", additional_inputs=[gr.Slider(0, 10, 3)])
    app = create_app(demo, Settings(root_path="/bot"))
    status, headers, page = await fetch(app, "/?view=api", headers={"Host": "chat.example"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    nonce_of(headers)  # the same strict policy
    assert headers["Cache-Control"] == "no-store"
    assert "<h2>Endpoint <code>/ask</code></h2>" in page
    assert "<code>message</code>" in page and "<code>float</code>" in page
    assert "Client(&quot;http://chat.example/bot/&quot;)" in page  # Python
    assert "Client.connect(&quot;http://chat.example/bot/&quot;)" in page  # JavaScript
    assert "api_name=&quot;/ask&quot;" in page
    assert "curl -s -X POST &#x27;http://chat.example/bot/gradio_api/call/ask&#x27;" in page
    assert "[&quot;Hello!!&quot;, 0]" in page  # the example inputs, as view_api() shows them
    assert 'href="http://chat.example/bot/openapi.json"' in page
    assert "docs/protocol.md" in page
    assert "<script" not in page  # readable without JavaScript


async def test_the_page_honours_the_root_path() -> None:
    app = create_app(gr.ChatInterface(echo), Settings(root_path="/bot"))
    _, _, page = await fetch(app)
    assert '<script src="/bot/widget.js" data-mode="inline"' in page
    assert 'href="/bot/?view=api"' in page


async def test_the_api_link_is_hidden_when_gradio_would_hide_it() -> None:
    hidden = gr.ChatInterface(echo)
    hidden.full_page.set_footer_links(["gradio"])  # launch(footer_links=["gradio"])
    _, _, page = await fetch(create_app(hidden))
    assert "Use via API" not in page and "<footer>" not in page
    private = gr.ChatInterface(echo, api_visibility="private")
    _, _, page = await fetch(create_app(private))
    assert "Use via API" not in page
    _, _, api = await fetch(create_app(private), "/?view=api")
    assert "This app has no public API endpoint." in api and "gradio_client" not in api


async def test_a_login_apps_page_and_api_page_are_public() -> None:
    demo = gr.ChatInterface(echo)
    demo.accounts = gr.ChatInterface(echo).accounts.from_argument(("ada", "secret"))
    app = create_app(demo)
    status, _, page = await fetch(app)
    assert status == 200 and "/widget.js" in page
    status, _, api = await fetch(app, "/?view=api")
    assert status == 200 and "auth=(&quot;username&quot;, &quot;password&quot;)" in api
    status, _, _ = await fetch(app, "/api/config")
    assert status == 200
    status, _, _ = await fetch(app, "/gradio_api/info")
    assert status == 401


async def test_a_favicon_path_is_named_and_head_requests_work(tmp_path: Path) -> None:
    icon = tmp_path / "icon.ico"
    icon.write_bytes(b"\x00\x00\x01\x00")
    app = create_app(gr.ChatInterface(echo), Settings(favicon_path=str(icon)))
    _, _, page = await fetch(app)
    assert '<link rel="icon" href="/favicon.ico">' in page
    async with app.test_app() as test_app:
        head = await test_app.test_client().head("/")
        assert head.status_code == 200 and head.headers["Content-Security-Policy"]


async def test_a_blocks_page_takes_the_blocks_title_and_fill() -> None:
    with gr.Blocks(title="My Blocks", fill_width=True) as demo:
        gr.ChatInterface(echo)
    _, _, page = await fetch(demo.app)
    assert "<title>My Blocks</title>" in page
    assert "max-width:1000px" not in page
    assert "#chat{height:600px}" in page  # a Blocks' fill_height is False, as in Gradio
