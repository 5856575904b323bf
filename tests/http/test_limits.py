"""Abuse limits: per-client message rate and concurrent streams, client addresses behind
trusted proxies, and the first-token timeout."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from backend import ChatInterface, Settings, create_app
from backend.http.client_address import client_address, networks
from backend.streams.stream_slots import StreamSlots
from tests.helpers import freeze_rate_clock, parse_events, until

PROXIES = networks(["127.0.0.1", "10.0.0.0/8"])


@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not a trusted proxy: header ignored
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own claim is left
        ("127.0.0.1", "198.51.100.7, 10.1.2.3", "198.51.100.7"),  # through two proxies
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", " , ", "127.0.0.1"),
        (None, "1.2.3.4", ""),
    ],
)
def test_client_address(peer: str | None, header: str | None, client: str) -> None:
    assert client_address(peer, header, PROXIES) == client


def test_without_trusted_proxies_the_header_means_nothing() -> None:
    assert client_address("127.0.0.1", "1.2.3.4", ()) == "127.0.0.1"


def test_stream_slots() -> None:
    slots = StreamSlots(2)
    assert slots.take("a") and slots.take("a") and not slots.take("a")
    assert slots.take("b")
    slots.give_back("a")
    assert slots.take("a") and slots.open_streams("a") == 2
    for _ in range(5):
        slots.give_back("a")
    assert slots.open_streams("a") == 0
    assert all(StreamSlots(0).take("x") for _ in range(100))


def test_bad_proxies_setting() -> None:
    with pytest.raises(ValueError, match="trusted_proxies"):
        Settings.from_mapping({"trusted_proxies": "not-an-ip"})


async def test_message_rate_limit_is_a_friendly_429(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_rate_clock(monkeypatch)  # no refill, however slowly the requests go
    settings = Settings.from_mapping({"flush_interval": 0.0, "message_rate_limit": 3})
    app = create_app(ChatInterface(lambda m, h: "ok"), settings)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        statuses = []
        for _ in range(4):
            response = await client.post(
                "/api/chat",
                data=json.dumps({"message": "hi"}),
                headers={"Content-Type": "application/json"},
            )
            statuses.append(response.status_code)
        assert statuses == [200, 200, 200, 429]
        assert int(response.headers["Retry-After"]) >= 1
        body = json.loads(await response.get_data(as_text=False))
        assert body["code"] == "rate_limited" and "wait" in body["error"]


async def test_concurrent_streams_per_client() -> None:
    release = asyncio.Event()
    called = 0

    async def slow(message: str, history: Any) -> AsyncIterator[str]:
        nonlocal called
        called += 1
        yield "working"
        await release.wait()
        yield "done"

    settings = Settings.from_mapping({"flush_interval": 0.0, "max_streams_per_client": 2})
    app = create_app(ChatInterface(slow), settings)
    async with app.test_app() as test_app:
        client = test_app.test_client()

        async def ask() -> tuple[int, bytes]:
            response = await client.post(
                "/api/chat",
                data=json.dumps({"message": "hi"}),
                headers={"Content-Type": "application/json"},
            )
            return response.status_code, await response.get_data(as_text=False)

        first = asyncio.create_task(ask())
        second = asyncio.create_task(ask())
        # Called once its stream has its slot: both slots are taken.
        await until(lambda: called == 2, "both answers started")
        status, data = await ask()
        assert status == 429
        assert "answers on the way" in json.loads(data)["error"]
        release.set()
        assert [(await first)[0], (await second)[0]] == [200, 200]
        # Finished streams give their slots back.
        release.set()
        status, data = await ask()
        assert status == 200 and parse_events(data)[-1].event == "done"


async def test_first_token_timeout() -> None:
    async def silent(message: str, history: Any) -> AsyncIterator[str]:
        await asyncio.Event().wait()  # a model that never answers
        yield "too late"

    settings = Settings.from_mapping({"flush_interval": 0.0, "stream_first_token_timeout": 0.2})
    app = create_app(ChatInterface(silent), settings)
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat",
            data=json.dumps({"message": "hi"}),
            headers={"Content-Type": "application/json"},
        )
        events = parse_events(await response.get_data(as_text=False))
    assert events[-1].event == "error" and events[-1].data["code"] == "timeout"
