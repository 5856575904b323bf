"""C-*: origins. With ``allowed_origins`` set, any other Origin is refused (403) before any
work; without it, any origin may use the API (``Access-Control-Allow-Origin: *``, no
credentials).

Product decision (docs/protocol.md "CORS"): a refusal carries ``Access-Control-Allow-Origin``
naming the refused origin, so the widget can read the envelope (ATTACKS.md C-1 asks for no
ACAO); it holds no data. Origins are compared case-insensitively with default ports implied.
"""

from __future__ import annotations

import json

import pytest

from tests.security.harness import Server, check, request
from tests.security.samples import PNG

ALLOWED = "https://allowed.example"
HOSTILE = {
    "C-1-evil": "https://evil.example",
    "C-1-suffix": "https://allowed.example.evil.example",
    "C-1-prefix": "https://evilallowed.example",
    "C-1-http": "http://allowed.example",
    "C-1-port": "https://allowed.example:444",
    "C-1-localhost-suffix": "http://localhost.evil.example",
    "C-1-trailing-slash": "https://allowed.example/",
    "C-1-userinfo": "https://allowed.example@evil.example",
    "C-1-two-origins": "https://allowed.example https://evil.example",
    "C-2-null": "null",
    "C-2-empty": "",
    "C-2-file": "file://",
}
ROUTES = [
    ("POST", "/api/chat", "application/json", b'{"message":"hi"}'),
    ("POST", "/api/feedback", "application/json", b"{}"),
    ("POST", "/api/event", "application/json", b'{"handler":0,"values":[]}'),
    ("GET", "/api/config", None, None),
    ("POST", "/v1/chat/completions", "application/json", b"{}"),
    ("GET", "/api/files/" + "A" * 43, None, None),
    ("POST", "/api/chat", "text/plain", b'{"message":"hi"}'),
    ("GET", "/nope", None, None),
    ("DELETE", "/api/chat", None, None),
]
ROUTE_IDS = ["chat", "feedback", "event", "config", "v1", "files", "chat-text-plain", "404", "405"]


@pytest.mark.parametrize(("method", "path", "ctype", "body"), ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("origin", HOSTILE.values(), ids=HOSTILE.keys())
def test_refused_origins_get_403_before_any_work(
    origin: str,
    method: str,
    path: str,
    ctype: str | None,
    body: bytes | None,
    guarded: Server,
) -> None:
    """C-1, C-2, C-5, C-6 (every route and error path, with a hostile Origin)."""
    calls = guarded.fn_calls()
    headers = {"Origin": origin, "Cookie": "session=1", "Authorization": "Bearer x"}
    if ctype:
        headers["Content-Type"] = ctype
    resp = check(request(guarded, method, path, body, headers), what="C")
    assert (resp.status, resp.code) == (403, "origin_not_allowed"), resp.text[:200]
    assert guarded.fn_calls() == calls
    acao = resp.headers.get("access-control-allow-origin")
    assert acao in (None, origin) and acao != "*"
    assert resp.headers.get("access-control-allow-credentials") is None
    assert "Origin" in resp.headers.get("vary", "")


@pytest.mark.parametrize(
    "origin",
    [ALLOWED, "https://ALLOWED.example", "https://allowed.example:443", "HTTPS://allowed.EXAMPLE"],
    ids=["C-allowed", "C-allowed-upper", "C-allowed-default-port", "C-allowed-mixed"],
)
def test_allowed_origin_is_echoed(origin: str, guarded: Server) -> None:
    resp = check(
        request(guarded, "POST", "/api/chat", b'{"message":"hi"}',
                {"Origin": origin, "Content-Type": "application/json"}),
        what="C",
    )  # fmt: skip
    assert resp.status == 200
    assert resp.headers["access-control-allow-origin"] == origin
    assert "Origin" in resp.headers["vary"]


def test_c5_text_plain_from_an_allowed_origin_is_415(guarded: Server) -> None:
    calls = guarded.fn_calls()
    resp = check(
        request(guarded, "POST", "/api/chat", b'{"message":"hi"}',
                {"Origin": ALLOWED, "Content-Type": "text/plain"}),
        what="C-5",
    )  # fmt: skip
    assert (resp.status, resp.code) == (415, "unsupported_media_type")
    assert guarded.fn_calls() == calls


FORMS = {
    "C-5-text-plain": ("text/plain", b'{"message":"hi"}'),
    "B-1-text-plain-form": ("text/plain", b'{"message":"hi","x":"=\r\n"}'),
    "B-2-urlencoded": ("application/x-www-form-urlencoded", b"message=hi"),
    "B-2-multipart": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n--x--\r\n',
    ),  # noqa: E501
}


@pytest.mark.parametrize("path", ["/api/chat", "/api/feedback", "/api/event"])
@pytest.mark.parametrize(("ctype", "body"), FORMS.values(), ids=FORMS.keys())
def test_simple_requests_from_any_site_are_415_on_the_open_server(
    ctype: str, body: bytes, path: str, echo: Server
) -> None:
    calls = echo.fn_calls()
    resp = check(
        request(
            echo, "POST", path, body, {"Origin": "https://evil.example", "Content-Type": ctype}
        ),
        what="C-5",
    )
    assert (resp.status, resp.code) == (415, "unsupported_media_type")
    assert echo.fn_calls() == calls
    assert resp.headers["access-control-allow-origin"] == "*"
    assert resp.headers.get("access-control-allow-credentials") is None


@pytest.mark.parametrize("origin", [ALLOWED, "https://evil.example"], ids=["allowed", "refused"])
@pytest.mark.parametrize(
    ("req_method", "req_headers"),
    [("POST", "X-Evil"), ("DELETE", "Content-Type"), ("PUT", "Cookie, X-Requested-With")],
    ids=["C-7-x-evil", "C-7-delete", "C-7-put-cookie"],
)
def test_c7_preflight_allows_only_what_is_needed(
    origin: str, req_method: str, req_headers: str, guarded: Server
) -> None:
    resp = check(
        request(
            guarded,
            "OPTIONS",
            "/api/chat",
            None,
            {
                "Origin": origin,
                "Access-Control-Request-Method": req_method,
                "Access-Control-Request-Headers": req_headers,
            },
        ),
        what="C-7",
    )
    if origin != ALLOWED:
        assert resp.status == 403 and "access-control-allow-origin" not in resp.headers
        return
    assert resp.status == 204
    assert set(resp.headers["access-control-allow-methods"].replace(" ", "").split(",")) <= {
        "GET",
        "POST",
        "OPTIONS",
    }
    allowed = resp.headers["access-control-allow-headers"].lower()
    assert "x-evil" not in allowed and "cookie" not in allowed
    assert int(resp.headers["access-control-max-age"]) <= 600


def test_c3_refused_origin_upload_stores_nothing(servers: object) -> None:
    guarded_files = servers(  # type: ignore[operator]
        "multimodal", "--allowed-origins", ALLOWED, "--max-file-size", "65536"
    )
    resp = check(
        request(guarded_files, "POST", "/api/upload?name=a.png", PNG,
                {"Origin": "https://evil.example", "Content-Type": "image/png"}),
        what="C-3",
    )  # fmt: skip
    assert (resp.status, resp.code) == (403, "origin_not_allowed")
    stored = list(guarded_files.store.rglob("*")) if guarded_files.store.exists() else []
    assert not [p for p in stored if p.is_file()]


def test_c6_open_server_never_pairs_star_with_credentials(echo: Server) -> None:
    for method, path, ctype, body in ROUTES:
        headers = {"Origin": "https://evil.example"}
        if ctype:
            headers["Content-Type"] = ctype
        resp = check(request(echo, method, path, body, headers), what="C-6")
        assert resp.headers.get("access-control-allow-origin") == "*", (path, resp.headers)
        assert resp.headers.get("access-control-allow-credentials") is None
    config = json.loads(request(echo, "GET", "/api/config").body)
    assert config["protocol"] == 1
