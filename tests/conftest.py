from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from backend import ChatInterface, Settings, create_app
from backend.chat import ChatFn

# Fast streams in tests: no coalescing pause unless a test asks for it.
FAST = {"flush_interval": 0.0}


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("CHATBUBBLE_") or key in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
            monkeypatch.delenv(key)


def make_app(fn: ChatFn, *, widget: Path | None = None, **settings: Any) -> Quart:
    return create_app(
        ChatInterface(fn=fn, type="messages", title="Test bot"),
        Settings.from_mapping({**FAST, **settings}),
        widget_bundle=widget,
    )


def echo(message: str, history: list[dict[str, object]]) -> str:
    return f"echo: {message} ({len(history)} earlier)"


@pytest.fixture(name="app")
def _app() -> Quart:
    return make_app(echo)


@pytest.fixture(name="client")
async def _client(app: Quart) -> AsyncIterator[Client]:
    async with app.test_app() as test_app:
        yield test_app.test_client()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--llm",
        action="store_true",
        help="also run the tests against a real llama.cpp server (`make test-llm`)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--llm"):
        return
    skip = pytest.mark.skip(reason="needs a real model server: run `make test-llm`")
    for item in items:
        if "llm" in item.keywords:
            item.add_marker(skip)
