"""The console's door: off without a key, the login (CSRF, wrong keys refused, rate limited),
the session cookie's flags, logout, and pages that send a stranger to the login page."""

from __future__ import annotations

from pathlib import Path

import pytest
from quart import Response
from quart.typing import TestClientProtocol as Client

from backend import Settings
from backend.settings import SettingsError
from tests.http.admin.conftest import PASSWORD, admin_app, form_token, log_in

#: The request comes from this address (the proxy's, when trusted).
PROXY = {"client": ("127.0.0.1", 50123)}
PAGES = ("/admin", "/admin/transcripts", "/admin/transcript?id=x", "/admin/delete?id=x")


def set_cookie(response: Response) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    return "; ".join(value for value in cookies if value.startswith("chatbubble_admin="))


async def test_no_console_without_a_password(tmp_path: Path) -> None:
    async with admin_app(tmp_path, admin_password="").test_app() as test_app:
        client = test_app.test_client()
        for path in ("/admin", "/admin/login", "/admin/export.csv"):
            assert (await client.get(path)).status_code == 404


def test_a_short_password_is_refused() -> None:
    with pytest.raises(SettingsError, match="at least 8"):
        Settings.from_mapping({"admin_password": "short"})
    with pytest.raises(SettingsError, match="at least 8"):
        Settings.from_mapping({"admin_tokens": "a-long-enough-token,tiny"})


async def test_pages_send_a_stranger_to_the_login_page(tmp_path: Path) -> None:
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        for path in PAGES:
            response = await client.get(path)
            assert response.status_code == 303, path
            assert response.headers["Location"] == "/admin/login"
        export = await client.get("/admin/export.csv")
        assert export.status_code == 401
        assert (await export.get_json())["code"] == "login_required"


async def test_wrong_password_is_refused_and_sets_no_session(tmp_path: Path) -> None:
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        response = await log_in(client, "wrong password")
        assert response.status_code == 401
        assert "Wrong password or token." in await response.get_data(as_text=True)
        assert set_cookie(response) == ""
        assert (await client.get("/admin")).status_code == 303


async def test_login_sets_a_strict_httponly_session_cookie(tmp_path: Path) -> None:
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        response = await log_in(client)
        assert response.status_code == 303
        assert response.headers["Location"] == "/admin"
        cookie = set_cookie(response)
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        assert "Path=/admin" in cookie
        assert "Secure" not in cookie  # plain http
        assert (await client.get("/admin")).status_code == 200


async def test_each_login_is_its_own_session_with_its_own_csrf_token(tmp_path: Path) -> None:
    """Two logins in the same second get different sessions: one's CSRF token is refused on
    the other's forms (the session token used to be the operator and the expiry only)."""
    async with admin_app(tmp_path).test_app() as test_app:
        first, second = test_app.test_client(), test_app.test_client()
        assert (await log_in(first)).status_code == 303
        assert (await log_in(second)).status_code == 303
        page = await first.get("/admin/transcripts")
        first_token = form_token(await page.get_data(as_text=True))
        page = await second.get("/admin/transcripts")
        assert form_token(await page.get_data(as_text=True)) != first_token
        refused = await second.post("/admin/logout", form={"csrf": first_token})
        assert refused.status_code == 403
        assert (await second.get("/admin")).status_code == 200


async def test_the_cookie_is_secure_behind_a_trusted_tls_proxy_only(tmp_path: Path) -> None:
    https = {"X-Forwarded-Proto": "https"}
    async with admin_app(tmp_path, trusted_proxies="127.0.0.1").test_app() as test_app:
        client = test_app.test_client()
        page = await client.get("/admin/login", headers=https, scope_base=PROXY)
        token = form_token(await page.get_data(as_text=True))
        response = await client.post(
            "/admin/login",
            form={"csrf": token, "password": PASSWORD},
            headers=https,
            scope_base=PROXY,
        )
        assert "Secure" in set_cookie(response)
    async with admin_app(tmp_path).test_app() as test_app:  # no trusted proxy: not believed
        client = test_app.test_client()
        page = await client.get("/admin/login", headers=https, scope_base=PROXY)
        token = form_token(await page.get_data(as_text=True))
        response = await client.post(
            "/admin/login",
            form={"csrf": token, "password": PASSWORD},
            headers=https,
            scope_base=PROXY,
        )
        assert response.status_code == 303
        assert "Secure" not in set_cookie(response)


async def test_an_admin_token_opens_the_console_too(tmp_path: Path) -> None:
    app = admin_app(tmp_path, admin_password="", admin_tokens="token-of-ann-123,token-of-bob-456")
    async with app.test_app() as test_app:
        client = test_app.test_client()
        assert (await log_in(client, "token-of-bob-456")).status_code == 303
        assert (await client.get("/admin")).status_code == 200


async def test_login_without_its_form_token_is_refused(tmp_path: Path) -> None:
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        response = await client.post("/admin/login", form={"password": PASSWORD})
        assert response.status_code == 403
        assert (await response.get_json())["code"] == "csrf_failed"
        await client.get("/admin/login")  # the cookie is set, the form's value is not sent back
        forged = await client.post("/admin/login", form={"csrf": "x" * 43, "password": PASSWORD})
        assert forged.status_code == 403


async def test_login_attempts_are_rate_limited(tmp_path: Path) -> None:
    async with admin_app(tmp_path, login_rate_limit=3).test_app() as test_app:
        client = test_app.test_client()
        for _ in range(3):
            assert (await log_in(client, "guess-guess")).status_code == 401
        limited = await log_in(client)  # even the right password waits now
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        assert "Too many attempts" in await limited.get_data(as_text=True)
        assert set_cookie(limited) == ""


async def test_logout_needs_its_token_and_ends_the_session(admin: Client) -> None:
    refused = await admin.post("/admin/logout", form={})
    assert refused.status_code == 403
    assert (await admin.get("/admin")).status_code == 200
    token = form_token(await (await admin.get("/admin")).get_data(as_text=True))
    response = await admin.post("/admin/logout", form={"csrf": token})
    assert response.status_code == 303
    assert "chatbubble_admin=;" in set_cookie(response)
    assert (await admin.get("/admin")).status_code == 303


async def test_a_session_ends_when_the_password_changes(tmp_path: Path) -> None:
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        cookie = set_cookie(await log_in(client)).split(";")[0].split("=", 1)[1]
    async with admin_app(tmp_path, admin_password="a new password").test_app() as test_app:
        client = test_app.test_client()
        client.set_cookie("localhost", "chatbubble_admin", cookie, path="/admin")
        assert (await client.get("/admin")).status_code == 303
    async with admin_app(tmp_path).test_app() as test_app:  # the same password: still valid
        client = test_app.test_client()
        client.set_cookie("localhost", "chatbubble_admin", cookie, path="/admin")
        assert (await client.get("/admin")).status_code == 200


async def test_the_visitors_login_does_not_guard_the_console(tmp_path: Path) -> None:
    async with admin_app(tmp_path, auth="ann:pw").test_app() as test_app:
        client = test_app.test_client()
        assert (await client.get("/api/config")).status_code == 200
        assert (await client.post("/api/chat", json={"message": "hi"})).status_code == 401
        assert (await log_in(client)).status_code == 303
        assert (await client.get("/admin")).status_code == 200


async def test_the_console_takes_forms_from_its_own_pages_only(tmp_path: Path) -> None:
    # allowed_origins names the sites the chat is embedded on, not the console's own origin.
    app = admin_app(tmp_path, allowed_origins="https://shop.example")
    async with app.test_app() as test_app:
        client = test_app.test_client()
        page = await client.get("/admin/login")
        token = form_token(await page.get_data(as_text=True))
        form = {"csrf": token, "password": PASSWORD}
        for stranger in ("https://shop.example", "https://evil.example", "null"):
            refused = await client.post("/admin/login", form=form, headers={"Origin": stranger})
            assert refused.status_code == 403, stranger
            assert (await refused.get_json())["code"] == "origin_not_allowed"
        own = await client.post("/admin/login", form=form, headers={"Origin": "http://localhost"})
        assert own.status_code == 303
