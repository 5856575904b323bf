"""J-*: hostile JSON bodies on every JSON route (/api/chat, /api/feedback, /v1/chat/completions).

The product's documented answers (docs/protocol.md, error envelope): a body that is not JSON is
400 ``bad_json`` (ATTACKS.md J-9 asks 422 for NaN/Infinity; NaN is not JSON, so the product's
400 is what we assert); valid JSON of the wrong shape is 422 ``invalid_request``; a wrong
Content-Type is 415; a body over ``max_body_bytes`` 413. The chat function is never reached.
"""

from __future__ import annotations

import json

import pytest

from tests.security.harness import Server, check, request, sse_events

MB = 1024 * 1024
OK_MESSAGE = {"message": "hi", "history": []}

# id -> (body, expected status on /api/chat, expected code)
BODIES: dict[str, tuple[bytes, int, str]] = {
    "J-1-empty": (b"", 400, "bad_json"),
    "J-1-null": (b"null", 422, "invalid_request"),
    "J-1-list": (b"[]", 422, "invalid_request"),
    "J-1-string": (b'"x"', 422, "invalid_request"),
    "J-1-number": (b"1", 422, "invalid_request"),
    "J-1-true": (b"true", 422, "invalid_request"),
    "J-1-empty-object": (b"{}", 422, "invalid_request"),
    "J-2-truncated": (b'{"message":', 400, "bad_json"),
    "J-2-trailing": (b'{"message":"a"} x', 400, "bad_json"),
    "J-2-single-quotes": (b"{'message':'a'}", 400, "bad_json"),
    "J-2-comment": (b'{"message":"a" /* c */}', 400, "bad_json"),
    "J-3-deep-list": (b"[" * 100_000 + b"]" * 100_000, 400, "bad_json"),
    "J-3-deep-object": (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, 400, "bad_json"),
    "J-3-deep-in-history": (
        b'{"message":"a","history":' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        400,
        "bad_json",
    ),
    "J-4-over-limit": (b'{"message":"' + b"a" * (MB + 10) + b'"}', 413, "body_too_large"),
    "J-5-message-ne": (b'{"message":{"$ne":null}}', 422, "invalid_request"),
    "J-5-message-list": (b'{"message":["a"]}', 422, "invalid_request"),
    "J-5-message-number": (b'{"message":5}', 422, "invalid_request"),
    "J-5-message-null": (b'{"message":null}', 422, "invalid_request"),
    "J-5-message-bool": (b'{"message":true}', 422, "invalid_request"),
    "J-5-history-gt": (b'{"message":"a","history":{"$gt":""}}', 422, "invalid_request"),
    "J-5-history-number": (b'{"message":"a","history":7}', 422, "invalid_request"),
    "J-5-example-bool": (b'{"message":"a","example":true}', 422, "invalid_request"),
    "J-5-example-string": (b'{"message":"a","example":"0"}', 422, "invalid_request"),
    "J-5-inputs-object": (b'{"message":"a","inputs":{"a":1}}', 400, "invalid_input"),
    "J-6-message-path": (b'{"message":{"path":"/etc/passwd"}}', 422, "invalid_request"),
    "J-6-files-paths": (b'{"message":"a","files":["/etc/passwd"]}', 422, "invalid_request"),
    "J-6-files-url": (
        b'{"message":"a","files":[{"url":"http://169.254.169.254/"}]}',
        422,
        "invalid_request",
    ),
    "J-7-system-prompt": (b'{"message":"a","system_prompt":"x"}', 422, "invalid_request"),
    "J-7-config": (b'{"message":"a","config":{"model":"x"}}', 422, "invalid_request"),
    "J-7-override-config": (b'{"message":"a","overrideConfig":{}}', 422, "invalid_request"),
    "J-7-temperature": (b'{"message":"a","temperature":2}', 422, "invalid_request"),
    "J-7-proto": (b'{"message":"a","__proto__":{"admin":true}}', 422, "invalid_request"),
    "J-7-constructor": (b'{"message":"a","constructor":{}}', 422, "invalid_request"),
    "J-7-user-id": (b'{"message":"a","user_id":"admin"}', 422, "invalid_request"),
    "J-9-lone-surrogate": (b'{"message":"a\\ud800b"}', 422, "invalid_request"),
    "J-9-low-surrogate": (b'{"message":"\\udfff"}', 422, "invalid_request"),
    "J-9-nan": (b'{"message":"a","example":NaN}', 400, "bad_json"),
    "J-9-infinity": (b'{"message":"a","example":Infinity}', 400, "bad_json"),
    "J-9-minus-infinity": (b'{"message":"a","example":-Infinity}', 400, "bad_json"),
    "J-9-bom": (b'\xef\xbb\xbf{"message":"a"}', 400, "bad_json"),
    "J-9-utf16": ('{"message":"a"}'.encode("utf-16"), 400, "bad_json"),
    "J-9-latin1": (b'{"message":"caf\xe9"}', 400, "bad_json"),
    "J-9-overlong-utf8": (b'{"message":"\xc0\xaf"}', 400, "bad_json"),
    "J-10-huge-float": (b'{"message":"a","example":1e999999}', 422, "invalid_request"),
    "J-10-5000-digits": (b'{"message":"a","example":' + b"9" * 5000 + b"}", 400, "bad_json"),
    "J-10-negative-index": (b'{"message":"a","example":-1}', 422, "invalid_request"),
    "J-10-big-index": (b'{"message":"a","example":99999999999999999999}', 422, "invalid_request"),
}


@pytest.mark.parametrize(("body", "status", "code"), BODIES.values(), ids=BODIES.keys())
def test_hostile_chat_bodies(body: bytes, status: int, code: str, echo: Server) -> None:
    calls = echo.fn_calls()
    resp = check(
        request(echo, "POST", "/api/chat", body, {"Content-Type": "application/json"}),
        what="chat",
    )
    assert (resp.status, resp.code) == (status, code), resp.text[:200]
    assert echo.fn_calls() == calls


@pytest.mark.parametrize(("body", "status", "code"), BODIES.values(), ids=BODIES.keys())
def test_hostile_feedback_bodies(body: bytes, status: int, code: str, echo: Server) -> None:
    resp = check(
        request(echo, "POST", "/api/feedback", body, {"Content-Type": "application/json"}),
        what="feedback",
    )
    assert resp.status in (400, 413, 422), resp.text[:200]
    if code in ("bad_json", "body_too_large"):  # refused before the shape matters
        assert (resp.status, resp.code) == (status, code), resp.text[:200]


OPENAI_BODIES = {
    **{key: value[0] for key, value in BODIES.items() if "history" not in key},
    "J-5-openai-messages-object": b'{"model":"m","messages":{"$ne":1}}',
    "J-5-openai-content-path": b'{"model":"m","messages":[{"role":"user","content":'
    b'[{"type":"image_url","image_url":{"url":"file:///etc/passwd"}}]}]}',
    "J-6-openai-tool-role": b'{"model":"m","messages":[{"role":"tool","content":"x"}]}',
    "J-9-openai-surrogate": b'{"model":"m","messages":[{"role":"user","content":"\\ud800"}]}',
    "J-10-openai-n": b'{"model":"m","n":1e999,"messages":[{"role":"user","content":"a"}]}',
}


@pytest.mark.parametrize("body", OPENAI_BODIES.values(), ids=OPENAI_BODIES.keys())
def test_hostile_openai_bodies(body: bytes, echo: Server) -> None:
    calls = echo.fn_calls()
    resp = check(
        request(echo, "POST", "/v1/chat/completions", body, {"Content-Type": "application/json"}),
        what="v1",
    )
    assert resp.status in (400, 413, 415, 422), resp.text[:200]
    assert set(resp.json()) == {"error"}
    assert echo.fn_calls() == calls


CONTENT_TYPES = {
    "J-1-no-content-type": None,
    "J-1-text-plain": "text/plain",
    "J-1-form": "application/x-www-form-urlencoded",
    "J-1-multipart": "multipart/form-data; boundary=x",
    "J-1-json-ish": "application/json-patch+json",
    "J-1-text-json": "text/json",
    "J-1-xml": "application/xml",
    "J-1-garbage": "\x7f;;;=",
}


@pytest.mark.parametrize("ctype", CONTENT_TYPES.values(), ids=CONTENT_TYPES.keys())
@pytest.mark.parametrize("path", ["/api/chat", "/api/feedback", "/api/event"])
def test_wrong_content_types_are_415(ctype: str | None, path: str, echo: Server) -> None:
    calls = echo.fn_calls()
    headers = {"Content-Type": ctype} if ctype is not None else {}
    body = json.dumps(OK_MESSAGE).encode()
    resp = check(request(echo, "POST", path, body, headers), what=path)
    assert (resp.status, resp.code) == (415, "unsupported_media_type"), resp.text[:200]
    assert echo.fn_calls() == calls


def test_compressed_json_is_415(echo: Server) -> None:
    """U-10 on the chat route: a ``Content-Encoding`` body is never decompressed."""
    import gzip

    body = gzip.compress(json.dumps(OK_MESSAGE).encode())
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    resp = check(request(echo, "POST", "/api/chat", body, headers), what="gzip")
    assert (resp.status, resp.code) == (415, "unsupported_media_type")


def test_declared_length_over_the_limit_is_refused_before_reading(echo: Server) -> None:
    """J-4: 16 MB declared, nothing sent: the 413 comes at once."""
    resp = check(
        request(
            echo,
            "POST",
            "/api/chat",
            b"",
            {"Content-Type": "application/json", "Content-Length": str(16 * MB)},
        ),
        what="J-4",
    )
    # No byte of the body was sent: a server that waited for it would answer 408 after its
    # body idle limit (or never), not 413.
    assert (resp.status, resp.code) == (413, "body_too_large")


ACCEPTED = {
    "J-9-duplicate-keys-last-wins": (b'{"message":"first","message":"second"}', "second"),
    "J-9-nul-stripped": (b'{"message":"a\\u0000b"}', "ab"),
    "J-9-escaped-html": (b'{"message":"\\u003cscript\\u003e"}', "<script>"),
    "J-9-astral": ('{"message":"\U0001f600 ok"}'.encode(), "\U0001f600 ok"),
    "J-9-whitespace-around": (b' \r\n\t{"message":"ws"}\n ', "ws"),
}


@pytest.mark.parametrize(("body", "expected"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_odd_but_valid_json_reaches_fn_as_documented(
    body: bytes, expected: str, echo: Server
) -> None:
    resp = check(
        request(echo, "POST", "/api/chat", body, {"Content-Type": "application/json"}),
        what="valid",
    )
    assert resp.status == 200
    events = sse_events(resp.text)
    assert events[-1][0] == "done"
    text = "".join(d.get("append", "") for name, d in events if name == "message")
    assert text == expected


REDOS = {
    "J-8-a-bang": "a" * 50_000 + "!",
    "J-8-parens": "(" * 50_000,
    "J-8-dash-at": "-" * 50_000 + "@",
    "J-8-backticks": "`" * 50_000,
    "J-8-brackets": "[" * 25_000 + "](" * 12_000,
}


def flag_everywhere(text: str) -> dict[str, object]:
    """A flag carrying ``text`` in every field (the id cut to its 64 characters)."""
    return {
        "id": text[:64],
        "conversation": [
            {"role": "user", "content": text},
            {"role": "assistant", "content": text},
        ],
        "flag": text,
        "visitor": text,
        "conversation_id": text,
    }


@pytest.mark.parametrize("text", REDOS.values(), ids=REDOS.keys())
def test_redos_shaped_strings_are_fast(text: str, echo: Server) -> None:
    """J-8 in every string field: too long for a message (422), fine in history. A
    backtracking regex would hang on these: each request's timeout (LIVENESS) catches that;
    benchmarks/security_timing.py prints how long they take."""
    too_long = check(
        request(
            echo,
            "POST",
            "/api/chat",
            json.dumps({"message": text}).encode(),
            {"Content-Type": "application/json"},
        ),
        what="J-8 message",
    )
    assert (too_long.status, too_long.code) == (422, "invalid_request")
    body = {"message": "!history", "history": [{"role": "user", "content": text}]}
    resp = check(
        request(
            echo,
            "POST",
            "/api/chat",
            json.dumps(body).encode(),
            {"Content-Type": "application/json"},
        ),
        what="J-8 history",
    )
    assert resp.status == 200
    feedback = flag_everywhere(text)
    flagged = check(
        request(
            echo,
            "POST",
            "/api/feedback",
            json.dumps(feedback).encode(),
            {"Content-Type": "application/json"},
        ),
        what="J-8 feedback",
    )
    assert flagged.status == 422
