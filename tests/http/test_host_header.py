"""The ``Host`` header checked before any route (``http/host_header.py``)."""

from __future__ import annotations

import pytest

from backend import ChatInterface, Settings, create_app
from backend.http.host_header import well_formed
from tests.conftest import FAST, echo


@pytest.mark.parametrize(
    "host",
    ["chat.example", "chat.example:8443", "127.0.0.1:8000", "[::1]:8000", "localhost",
     "my_service:80", "chat.example."],
)  # fmt: skip
def test_host_names_and_addresses_pass(host: str) -> None:
    assert well_formed(host.encode())


@pytest.mark.parametrize(
    "host",
    ['a.example"><script>', "a.example evil", "user@a.example", "a.example/x", "a.example:abc",
     "a" * 64 + ".example", "a.example#x", "", "-a.example", "a..example"],
)  # fmt: skip
def test_anything_else_is_refused(host: str) -> None:
    assert not well_formed(host.encode())


async def test_a_malformed_host_is_a_400_envelope_before_any_route() -> None:
    app = create_app(ChatInterface(fn=echo), Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        response = await client.get("/api/config", headers={"Host": "a" * 300 + ".example"})
        assert response.status_code == 400
        assert (await response.get_json())["code"] == "bad_request"
        fine = await client.get("/config", headers={"Host": "chat.example:8443"})
        assert (await fine.get_json())["root"] == "http://chat.example:8443"
