"""``launch()`` with every argument of Gradio 6.31's (backend/chat/launching.py): the
signature, what each argument becomes, and a real app launched with all of them."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

import backend as gr
from backend.chat import hosting
from backend.chat.launching import NO_EFFECT, SIGNATURE, file_size, options
from backend.settings import MB, Settings
from tests.servers import free_port
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]

# Gradio 6.31.0: [(p.name, p.kind.name, p.default) for p in
# inspect.signature(gr.Blocks.launch).parameters.values()][1:] (ChatInterface's is the same).
GRADIO_LAUNCH = [
    ("inline", "POSITIONAL_OR_KEYWORD", None), ("inbrowser", "POSITIONAL_OR_KEYWORD", False),
    ("share", "POSITIONAL_OR_KEYWORD", None), ("debug", "POSITIONAL_OR_KEYWORD", False),
    ("max_threads", "POSITIONAL_OR_KEYWORD", 40), ("auth", "POSITIONAL_OR_KEYWORD", None),
    ("auth_message", "POSITIONAL_OR_KEYWORD", None),
    ("prevent_thread_lock", "POSITIONAL_OR_KEYWORD", False),
    ("show_error", "POSITIONAL_OR_KEYWORD", False),
    ("server_name", "POSITIONAL_OR_KEYWORD", None),
    ("server_port", "POSITIONAL_OR_KEYWORD", None), ("height", "KEYWORD_ONLY", 500),
    ("width", "KEYWORD_ONLY", "100%"), ("favicon_path", "KEYWORD_ONLY", None),
    ("ssl_keyfile", "KEYWORD_ONLY", None), ("ssl_certfile", "KEYWORD_ONLY", None),
    ("ssl_keyfile_password", "KEYWORD_ONLY", None), ("ssl_verify", "KEYWORD_ONLY", True),
    ("quiet", "KEYWORD_ONLY", False), ("footer_links", "KEYWORD_ONLY", None),
    ("run_history", "KEYWORD_ONLY", None), ("allowed_paths", "KEYWORD_ONLY", None),
    ("blocked_paths", "KEYWORD_ONLY", None), ("root_path", "KEYWORD_ONLY", None),
    ("app_kwargs", "KEYWORD_ONLY", None), ("state_session_capacity", "KEYWORD_ONLY", 10000),
    ("share_server_address", "KEYWORD_ONLY", None),
    ("share_server_protocol", "KEYWORD_ONLY", None),
    ("share_server_tls_certificate", "KEYWORD_ONLY", None),
    ("auth_dependency", "KEYWORD_ONLY", None), ("max_file_size", "KEYWORD_ONLY", None),
    ("enable_monitoring", "KEYWORD_ONLY", None), ("strict_cors", "KEYWORD_ONLY", True),
    ("node_server_name", "KEYWORD_ONLY", None), ("node_port", "KEYWORD_ONLY", None),
    ("ssr_mode", "KEYWORD_ONLY", None), ("pwa", "KEYWORD_ONLY", None),
    ("mcp_server", "KEYWORD_ONLY", None), ("num_workers", "KEYWORD_ONLY", None),
    ("_app", "KEYWORD_ONLY", None), ("_frontend", "KEYWORD_ONLY", True),
    ("i18n", "KEYWORD_ONLY", None), ("theme", "KEYWORD_ONLY", None),
    ("css", "KEYWORD_ONLY", None), ("css_paths", "KEYWORD_ONLY", None),
    ("js", "KEYWORD_ONLY", None), ("head", "KEYWORD_ONLY", None),
    ("head_paths", "KEYWORD_ONLY", None),
]  # fmt: skip


def echo(message: str, history: list[Any]) -> str:
    return message


def test_the_signature_is_gradios() -> None:
    ours = list(inspect.signature(gr.ChatInterface.launch).parameters.values())
    assert ours[0].name == "self"
    assert [(p.name, p.kind.name, p.default) for p in ours[1:]] == GRADIO_LAUNCH
    assert inspect.signature(gr.ChatInterface.launch) == SIGNATURE


def test_every_argument_either_works_or_says_why_not() -> None:
    handled = {"server_name", "server_port", "max_threads", "show_error", "quiet", "mcp_server",
               "ssl_keyfile", "ssl_certfile", "ssl_keyfile_password", "allowed_paths",
               "blocked_paths", "max_file_size", "theme", "css", "css_paths", "js", "head",
               "head_paths", "auth", "auth_message", "strict_cors", "favicon_path",
               "root_path", "footer_links", "i18n"}  # fmt: skip
    names = {name for name, _, _ in GRADIO_LAUNCH}
    assert handled | set(NO_EFFECT) == names
    assert not handled & set(NO_EFFECT)


def test_arguments_become_settings() -> None:
    overrides, notes = options(
        {"server_name": "0.0.0.0", "server_port": 7860, "max_threads": 8, "show_error": True,
         "max_file_size": "5mb", "allowed_paths": ["/srv/a", "/srv/b"],
         "blocked_paths": "/srv/a/x", "mcp_server": True, "quiet": True, "strict_cors": False,
         "root_path": "/bot", "favicon_path": __file__}
    )  # fmt: skip
    assert notes == []
    settings = Settings().replace(overrides)
    assert (settings.host, settings.port, settings.worker_threads) == ("0.0.0.0", 7860, 8)
    assert settings.max_file_size == 5 * MB and settings.show_error and settings.mcp_server
    assert settings.allowed_paths == ("/srv/a", "/srv/b")
    assert settings.blocked_paths == ("/srv/a/x",) and settings.quiet
    assert not settings.strict_cors and settings.path_prefix == "/bot"
    assert settings.favicon_path == __file__


def test_gradios_defaults_print_nothing_and_none_changes_nothing() -> None:
    given = {p.name: p.default for p in list(SIGNATURE.parameters.values())[1:]}
    overrides, notes = options(given)
    assert notes == []
    assert overrides == {
        "worker_threads": 40, "show_error": False, "quiet": False, "strict_cors": True
    }  # fmt: skip
    assert options({"mcp_server": None, "max_file_size": None}) == ({}, [])


def test_an_argument_without_meaning_here_prints_one_line() -> None:
    _, notes = options({"share": True, "inbrowser": True, "auth_dependency": lambda r: "pass"})
    assert len(notes) == 3
    assert notes[0].startswith("chatbubble: launch(share=True) has no effect: ")
    assert "no share link" in notes[0]
    assert notes[2] == "chatbubble: launch(auth_dependency=...) has no effect: not supported."


@pytest.mark.parametrize(
    ("given", "size"),
    [(123, 123), ("5mb", 5 * MB), ("1 GB", 1024 * MB), ("10kb", 10 * 1024), ("7", 7),
     ("2MB", 2 * MB)],
)  # fmt: skip
def test_max_file_size_takes_gradios_forms(given: Any, size: int) -> None:
    assert file_size(given) == size


@pytest.mark.parametrize("bad", ["5 parsecs", "mb", "-1mb", 1.5, True])
def test_max_file_size_refuses_the_rest(bad: Any) -> None:
    with pytest.raises(ValueError, match="max_file_size"):
        file_size(bad)


def test_an_unknown_argument_is_a_type_error() -> None:
    with pytest.raises(
        TypeError, match="launch\\(\\): got an unexpected keyword argument 'sharee'"
    ):
        gr.ChatInterface(fn=echo).launch(sharee=True)


def test_page_arguments_apply_as_in_the_constructor() -> None:
    demo = gr.ChatInterface(fn=echo, css=".a{}")
    demo.apply_page(theme="soft", css=".b{}", js="() => 1", head="<meta name=a>")
    assert demo.full_page.js == "() => 1" and demo.full_page.head == "<meta name=a>"
    assert demo.theme == gr.ChatInterface(fn=echo, theme="soft").theme
    assert demo.css == ".a{}.b{}"


async def _call(base: str, message: str) -> tuple[bool, str]:
    async with streamable_http_client(base + "/gradio_api/mcp/") as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            result = await session.call_tool("answer", {"message": message})
            return bool(result.is_error), getattr(result.content[0], "text", "")


def test_an_app_launched_with_every_argument_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "LAUNCH_PORT": str(port), "BLOCKED_DIR": str(tmp_path)}
    log = tmp_path / "log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "apps" / "launch_all.py")],
            env=env, stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:

        def config() -> dict[str, Any] | None:
            assert process.poll() is None, log.read_text()
            try:
                loaded: dict[str, Any] = httpx.get(base + "/api/config").json()
                return loaded
            except httpx.HTTPError:
                return None

        served = wait_until(config, lambda: f"the app did not answer:\n{log.read_text()}")
        gradio_config = httpx.get(base + "/config").json()
        assert gradio_config["max_file_size"] == 2 * MB  # max_file_size="2mb"
        assert ".x { color: red }" in served["css"]  # css= in launch()
        printed = log.read_text()
        for name in ("share=True", "inbrowser=True", "app_kwargs=..."):
            assert f"launch({name}) has no effect" in printed
        assert f"MCP server (Streamable HTTP): {base}/gradio_api/mcp/" in printed
        assert asyncio.run(_call(base, "hi")) == (False, "got hi")  # mcp_server=True
        # show_error=True: the exception's own text, not the generic message
        failed, text = asyncio.run(_call(base, "crash"))
        assert failed and "RuntimeError: the detail shown with show_error" in text
    finally:
        process.terminate()
        process.wait(10)


def test_footer_links_are_kept_for_the_full_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hosting, "importing", True)  # launch() records instead of serving
    monkeypatch.setattr(hosting, "launched", [])
    demo = gr.ChatInterface(fn=echo)
    assert demo.full_page.api_link
    demo.launch(footer_links=["gradio", "settings"])
    assert not demo.full_page.api_link
    with pytest.raises(ValueError, match="footer_links: 'apii' must be one of"):
        demo.launch(footer_links=["apii"])


def test_i18n_is_kept_by_the_interface_and_by_the_blocks_around_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hosting, "importing", True)
    monkeypatch.setattr(hosting, "launched", [])
    i18n = gr.I18n(en={"title": "Support"}, fr={"title": "Assistance"})
    demo = gr.ChatInterface(fn=echo, title=i18n("title"))
    assert demo.i18n is None
    demo.launch(i18n=i18n)
    assert demo.i18n is i18n
    with gr.Blocks() as blocks:
        inner = gr.ChatInterface(fn=echo)
    blocks.launch(i18n=i18n)
    assert inner.i18n is i18n
    with pytest.raises(TypeError, match=r"launch\(i18n=...\) must be a gr.I18n, not dict"):
        demo.launch(i18n={"en": {}})
