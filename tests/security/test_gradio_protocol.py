"""gradio-protocol: Gradio's client protocol (``/gradio_api/...``) attacked.

A caller's job is reached by its ``session_hash`` and ``event_id`` together: another session
cannot read it from the queue nor cancel it, and a forged id finds nothing (an error event or a
4xx, never a 500). Files are named only by the references ``/gradio_api/upload`` issued: a path,
a URL, a reference this server never gave, one with a traversal tail, or a widget visitor's
upload (bound to that visitor) are refused, and ``/gradio_api/file=`` serves nothing else.
``data`` has the body limit and the message limits; ``fn_index`` and the endpoint's name must
be the chat's, exactly.
"""

from __future__ import annotations

import http.client
import json
import uuid
from typing import Any
from urllib.parse import quote

import pytest

from tests.security.harness import (
    FIGURES,
    Resp,
    Server,
    check,
    leaks,
    post_json,
    request,
    sse_events,
)
from tests.security.samples import PNG, upload
from tests.waiting import LIVENESS

API = "/gradio_api"
MB = 1024 * 1024
META = {"_type": "gradio.FileData"}


def info(server: Server) -> dict[str, Any]:
    resp = check(request(server, "GET", f"{API}/info"), what="info")
    data: dict[str, Any] = resp.json()
    return data


def api_name(server: Server) -> str:
    names = list(info(server)["named_endpoints"])
    assert len(names) == 1, names
    return str(names[0]).lstrip("/")


def join(server: Server, session: str, data: Any, **extra: Any) -> Resp:
    body = {"data": data, "fn_index": 0, "session_hash": session, **extra}
    return check(post_json(server, f"{API}/queue/join", body), what="queue/join")


def queue_data(server: Server, session: str) -> list[Any]:
    """The session's queue messages up to its first ``process_completed`` (the stream itself
    lingers open for the client's next call)."""
    host, port = server.host_port
    connection = http.client.HTTPConnection(host, port, timeout=LIVENESS)
    try:
        connection.request("GET", f"{API}/queue/data?session_hash={session}")
        response = connection.getresponse()
        assert response.status == 200, response.status
        messages: list[Any] = []
        while not completed(messages):
            line = response.readline()
            if not line:
                break
            if line.startswith(b"data:"):
                messages.append(json.loads(line[5:]))
        FIGURES.responses += 1
        assert not leaks(json.dumps(messages)), messages
        return messages
    finally:
        connection.close()


def rest(server: Server, name: str, data: Any) -> Resp:
    return check(post_json(server, f"{API}/call/{name}", data), what=f"call/{name}")


def rest_events(server: Server, name: str, event_id: str) -> str:
    resp = check(request(server, "GET", f"{API}/call/{name}/{event_id}"), what="call events")
    assert resp.status < 500
    return resp.text


def completed(messages: list[Any]) -> list[Any]:
    return [m for m in messages if isinstance(m, dict) and m.get("msg") == "process_completed"]


def session() -> str:
    return uuid.uuid4().hex


# -- sessions and event ids -----------------------------------------------------------------


def test_another_session_cannot_cancel_a_job(echo: Server) -> None:
    owner, attacker = session(), session()
    joined = join(echo, owner, ["the owner's secret words"])
    event_id = joined.json()["event_id"]
    for hash_ in (attacker, None, "", event_id):
        body = {"event_id": event_id, "session_hash": hash_, "fn_index": 0}
        resp = check(post_json(echo, f"{API}/cancel", body), what="cancel")
        assert resp.status < 500 and resp.json().get("success") is not True, (hash_, resp.text)
    done = completed(queue_data(echo, owner))
    assert done and done[0]["success"] is True, done
    assert "the owner's secret words" in json.dumps(done[0]["output"])


def test_another_session_cannot_read_a_job(echo: Server) -> None:
    owner, attacker = session(), session()
    join(echo, owner, ["private words of the owner"])
    join(echo, attacker, ["the attacker's own words"])
    stolen = json.dumps(queue_data(echo, attacker))
    assert "private words of the owner" not in stolen
    assert "the attacker's own words" in stolen
    assert "private words of the owner" in json.dumps(queue_data(echo, owner))


@pytest.mark.parametrize(
    "forged",
    ["00000000000000000000000000000000", "../../../etc/passwd", "' OR '1'='1", "*", "a" * 129,
     "%00", "session\nx", "null"],
    ids=["zeros", "traversal", "sql", "star", "too-long", "nul", "newline", "null"],
)  # fmt: skip
def test_a_forged_session_hash_reads_nothing(forged: str, echo: Server) -> None:
    join(echo, session(), ["words nobody else may read"])
    resp = check(
        request(echo, "GET", f"{API}/queue/data?session_hash={quote(forged)}"), what="forged"
    )
    assert resp.status < 500
    assert "words nobody else may read" not in resp.text
    if resp.status == 200:
        assert not completed([d for _, d in sse_events(resp.text)])


@pytest.mark.parametrize(
    "forged",
    [uuid.uuid4().hex, "..%2F..%2Fetc%2Fpasswd", "1' OR '1'='1", "x" * 5000, "%00"],
    ids=["random", "traversal", "sql", "long", "nul"],
)
def test_a_forged_event_id_reads_and_cancels_nothing(forged: str, echo: Server) -> None:
    name = api_name(echo)
    rest(echo, name, {"data": ["someone else's answer"]})
    text = rest_events(echo, name, quote(forged, safe="%"))
    assert "someone else's answer" not in text
    resp = check(
        post_json(echo, f"{API}/cancel", {"event_id": forged, "session_hash": session()}),
        what="cancel",
    )
    assert resp.status < 500 and resp.json().get("success") is not True


def test_an_event_id_is_not_guessable_from_another(echo: Server) -> None:
    name = api_name(echo)
    ids = [rest(echo, name, {"data": [f"m{i}"]}).json()["event_id"] for i in range(3)]
    assert len(set(ids)) == 3
    assert all(len(i) >= 22 for i in ids), ids  # random, not a counter


# -- fn_index and endpoint names -----------------------------------------------------------

FN_INDEXES: dict[str, Any] = {
    "minus-one": -1, "one": 1, "huge": 2**64, "string-zero": "0", "float": 0.5,
    "list": [0], "object": {"0": 0}, "null": None, "false": False, "true": True,
}  # fmt: skip


@pytest.mark.parametrize("key", list(FN_INDEXES), ids=list(FN_INDEXES))
def test_a_wrong_fn_index_is_refused(key: str, echo: Server) -> None:
    body = {"data": ["x"], "fn_index": FN_INDEXES[key], "session_hash": session()}
    resp = check(post_json(echo, f"{API}/queue/join", body), what=f"fn_index {key}")
    assert 400 <= resp.status < 500, (resp.status, resp.text[:200])
    assert "event_id" not in resp.text  # no call was started


@pytest.mark.parametrize(
    "path",
    ["call/admin", "call/..%2F..%2Fetc%2Fpasswd", "call/v2/predict_secret", "call/%00",
     "call/" + "a" * 3000, "call/lambda", "call/_chat"],
    ids=["admin", "traversal", "v2-unknown", "nul", "long", "lambda", "private"],
)  # fmt: skip
def test_an_unknown_api_name_is_a_404(path: str, echo: Server) -> None:
    resp = check(post_json(echo, f"{API}/{path}", {"data": ["x"]}), what=path)
    assert resp.status == 404, (resp.status, resp.text[:200])


# -- data ------------------------------------------------------------------------------------

DATA: dict[str, tuple[Any, tuple[int, ...]]] = {
    "message-over-body-limit": (["x" * (3 * MB)], (413,)),
    "100k-values": ([0] * 100_000, (413, 422)),
    "deep-nesting": (b"[" * 5000 + b"]" * 5000, (400, 413, 422)),
    "message-object": ([{"__proto__": {"admin": True}}], (400, 422)),
    "message-number": ([1e308], (400, 422)),
    "not-a-list": ({"message": "x"}, (400, 422)),
}  # fmt: skip


@pytest.mark.parametrize("key", list(DATA), ids=list(DATA))
def test_oversized_or_malformed_data_is_refused(key: str, echo: Server) -> None:
    data, statuses = DATA[key]
    if isinstance(data, bytes):  # written out: json.dumps would not nest that deep
        body = b'{"data": [' + data + b"]}"
    else:
        body = json.dumps({"data": data}).encode()
    resp = check(post_json(echo, f"{API}/call/{api_name(echo)}", body), what=key)
    if resp.status == 200:  # a REST call answers with its event id; the error comes as an event
        text = rest_events(echo, api_name(echo), resp.json()["event_id"])
        assert "event: error" in text, text[:300]
    else:
        assert resp.status in statuses, (resp.status, resp.text[:200])


def test_the_history_slot_of_data_is_ignored(echo: Server) -> None:
    """``[message, history]`` (Gradio's old shape): the history a client sends is not taken,
    so a path in it reaches nothing; the server keeps the history of a session itself."""
    name = api_name(echo)
    sent = [{"role": "user", "content": {"path": "/etc/passwd"}}]
    resp = rest(echo, name, {"data": ["!history", sent]})
    assert resp.status == 200, resp.text[:200]
    text = rest_events(echo, name, resp.json()["event_id"])
    assert "event: complete" in text and "/etc/passwd" not in text, text[:300]


# -- files -----------------------------------------------------------------------------------

FAKE = "A" * 43


def file_data(path: str, **extra: Any) -> dict[str, Any]:
    return {"path": path, "meta": META, **extra}


def send_files(server: Server, *entries: Any) -> Resp:
    body = {"data": [{"text": "look", "files": list(entries)}]}
    return rest(server, api_name(server), body)


def refused_or_error(server: Server, resp: Resp) -> str:
    """The refusal of a call: a 4xx, or (REST) the error event of its stream."""
    if resp.status == 200:
        text = rest_events(server, api_name(server), resp.json()["event_id"])
        assert "event: error" in text, text[:300]
        return text
    assert 400 <= resp.status < 500, (resp.status, resp.text[:200])
    return resp.text


FILE_REFS: dict[str, Any] = {
    "absolute-path": file_data("/etc/passwd"),
    "relative-traversal": file_data("../../../../etc/passwd"),
    "proc-environ": file_data("/proc/self/environ"),
    "file-url": file_data("file:///etc/passwd"),
    "url-metadata": file_data("http://169.254.169.254/latest/meta-data/"),
    "url-field": {"path": "x", "url": "http://169.254.169.254/", "meta": META},
    "unissued-reference": file_data(f"chatbubble/{FAKE}/x.png"),
    "reference-traversal-tail": file_data(f"chatbubble/{FAKE}/../../../etc/passwd"),
    "reference-backslash": file_data(f"chatbubble\\{FAKE}\\x"),
    "reference-nul": file_data(f"chatbubble/{FAKE}/x\x00.png"),
    "gradio-tmp-path": file_data("/tmp/gradio/abc/x.png"),
    "plain-string": "/etc/passwd",
    "handle-file-dict": {"path": "/etc/hosts", "meta": {"_type": "gradio.FileData"},
                         "orig_name": "hosts"},
    "is-stream": file_data("/etc/passwd", is_stream=True),
}  # fmt: skip


@pytest.mark.parametrize("key", list(FILE_REFS), ids=list(FILE_REFS))
def test_a_file_not_issued_by_us_is_refused(key: str, files: Server) -> None:
    text = refused_or_error(files, send_files(files, FILE_REFS[key]))
    assert "root:x:0:0" not in text and "localhost" not in text


def test_a_widget_visitors_upload_is_not_reachable_through_the_gradio_protocol(
    files: Server,
) -> None:
    """An upload of the widget is bound to its visitor's key: its id, even known, is no
    Gradio reference anyone may send or read."""
    key = "v" * 32
    resp = check(
        request(
            files, "POST", "/api/upload?name=a.png", PNG,
            {"Content-Type": "image/png", "X-Visitor-Key": key},
        ),
        what="widget upload",
    )  # fmt: skip
    assert resp.status == 201, resp.text[:200]
    file_id = resp.json()["id"]
    refused_or_error(files, send_files(files, file_data(f"chatbubble/{file_id}/a.png")))
    got = check(request(files, "GET", f"{API}/file=chatbubble/{file_id}/a.png"), what="file=")
    assert got.status == 404, got.status


def test_an_issued_reference_works_and_only_it(files: Server) -> None:
    """The control: what ``/gradio_api/upload`` gave is accepted."""
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + PNG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    resp = check(
        request(files, "POST", f"{API}/upload", body,
                {"Content-Type": f"multipart/form-data; boundary={boundary}"}),
        what="gradio upload",
    )  # fmt: skip
    assert resp.status == 200, resp.text[:200]
    reference = resp.json()[0]
    assert reference.startswith("chatbubble/") and "/tmp" not in reference
    call = send_files(files, file_data(reference))
    assert call.status == 200
    assert "1 file(s)" in rest_events(files, api_name(files), call.json()["event_id"])


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../../../etc/passwd", "chatbubble/../../etc/passwd",
     f"chatbubble/{FAKE}", f"chatbubble/{FAKE}/..%2f..%2fetc%2fpasswd", "%2Fetc%2Fpasswd",
     "http://169.254.169.254/", "STORE"],
    ids=["absolute", "traversal", "reference-traversal", "unissued", "encoded-tail",
         "encoded-absolute", "url", "store-path"],
)  # fmt: skip
def test_file_route_serves_nothing_but_references(path: str, files: Server) -> None:
    if path == "STORE":
        # The file this upload stored (the server is shared: others' names may hold anything).
        before = {p for p in files.store.rglob("*") if p.is_file()}
        upload(files, "a.png", PNG, "image/png")
        new = [p for p in files.store.rglob("*") if p.is_file() and p not in before]
        stored = [p for p in new if p.name == "a.png"]  # beside it: its metadata
        assert len(stored) == 1, new
        path = str(stored[0])
    resp = check(request(files, "GET", f"{API}/file={path}"), what="file=")
    assert resp.status == 404, (resp.status, resp.text[:200])
    assert "root:x:0:0" not in resp.text
