"""A small cluster (issue 20, point 2): two separate ``backend serve`` processes of one app
sharing a real Redis (``redis_url``: answers in flight, limits) and a real PostgreSQL
(``database_url``: the conversation store), with one ``secret``, behind a real nginx balancing
them (the README's ``location`` over an ``upstream`` of both). Everything goes through nginx as
a visitor's client would; nginx names the process that answered in ``X-Upstream``.

The module's cluster is shared by its tests; the last one kills a process (``kill -9``)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as redis_client

from tests.helpers import Event, answer_text, complete_events, parse_events
from tests.postgres import PostgresServer
from tests.servers import ROOT, free_port, read_until, running_server
from tests.streams.test_redis import REDIS, RedisServer
from tests.test_behind_nginx import NGINX, readme_location
from tests.waiting import LIVENESS, wait_until

#: About 30 s (a killed process is noticed when its heartbeat lapses, 10 s): `make test` runs it.
pytestmark = pytest.mark.heavy

APP = ROOT / "tests" / "apps" / "cluster.py"
PASSWORD = "console password of the cluster"


@dataclass
class Cluster:
    front: str  # host:port of nginx
    processes: dict[str, int]  # "127.0.0.1:<port>" of each backend -> its pid
    logs: list[Path]
    redis: str  # its URL
    connections: list[http.client.HTTPConnection] = field(default_factory=list)

    def post(
        self, path: str, body: dict[str, Any], visitor: str
    ) -> tuple[http.client.HTTPResponse, str]:
        """POSTs ``body`` through nginx as the visitor at address ``visitor``; the response
        (read as it streams) and the backend that answered."""
        connection = http.client.HTTPConnection(self.front, timeout=LIVENESS)
        self.connections.append(connection)
        connection.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Accept-Encoding": "identity",
                # nginx appends the peer (127.0.0.1, a trusted proxy): the backends count the
                # visitor at this address, as behind a real load balancer.
                "X-Forwarded-For": visitor,
            },
        )
        response = connection.getresponse()
        # nginx lists every backend it tried (a dead one first): the last one answered.
        return response, response.headers.get("X-Upstream", "").split(", ")[-1]

    def chat(self, message: str, visitor: str, **extra: Any) -> tuple[list[Event], str]:
        response, upstream = self.post("/api/chat", {"message": message, **extra}, visitor)
        assert response.status == 200, response.read()
        return parse_events(response.read()), upstream


def nginx_config(directory: Path, port: int, backends: list[str]) -> str:
    servers = "".join(f"    server {address};\n" for address in backends)
    location = readme_location().replace("http://127.0.0.1:8000", "http://chatbubble")
    # Which backend answered, for the test (nginx's own variable).
    location = location.replace(
        "proxy_pass", "add_header X-Upstream $upstream_addr always;\n    proxy_pass", 1
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  access_log off;\n  client_body_temp_path {directory}/body;\n"
        f"  proxy_temp_path {directory}/proxy;\n"
        f"  upstream chatbubble {{\n{servers}  }}\n"
        f"  server {{\n    listen 127.0.0.1:{port};\n    {location}\n  }}\n"
        "}\n"
    )


@pytest.fixture(scope="module", name="cluster")
def _cluster(
    postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    if not (Path(REDIS).exists() and Path(NGINX).exists()):
        pytest.skip("redis-server and nginx are needed (.ci/run installs them)")
    directory = tmp_path_factory.mktemp("cluster")
    with ExitStack() as stack:
        redis = RedisServer(directory)
        stack.callback(redis.stop)
        shared = {
            "CHATBUBBLE_REDIS_URL": redis.url,
            "CHATBUBBLE_DATABASE_URL": postgres.new_database(),
            "CHATBUBBLE_SECRET": "one secret for the whole cluster",
            "CHATBUBBLE_STORE_TRANSCRIPTS": "true",
            "CHATBUBBLE_ADMIN_PASSWORD": PASSWORD,
            "CHATBUBBLE_TRUSTED_PROXIES": "127.0.0.1",
            "CHATBUBBLE_MESSAGE_RATE_LIMIT": "5",
            "CHATBUBBLE_MAX_STREAMS_PER_CLIENT": "2",
        }
        processes: dict[str, int] = {}
        logs = []
        for name in ("a", "b"):
            pid: list[int] = []
            log = directory / f"{name}.log"
            env = {**shared, "FLAG_DIR": str(directory / name)}
            base = stack.enter_context(running_server(str(APP), env=env, log=log, pid=pid))
            processes[base.removeprefix("http://")] = pid[0]
            logs.append(log)
        port = free_port()
        config = directory / "nginx.conf"
        config.write_text(nginx_config(directory, port, list(processes)))
        nginx = subprocess.Popen(
            [NGINX, "-p", str(directory), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

        def stop_nginx() -> None:
            nginx.terminate()
            nginx.wait(10)

        stack.callback(stop_nginx)

        def accepts() -> bool:
            assert nginx.poll() is None, (directory / "error.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
            except OSError:
                return False
            return True

        wait_until(accepts, "nginx did not start")
        cluster = Cluster(f"127.0.0.1:{port}", processes, logs, redis.url)
        try:
            yield cluster
        finally:
            for connection in cluster.connections:
                connection.close()


def text_events(events: list[Event]) -> list[Event]:
    return [event for event in events if event.event == "message"]


def test_a_stream_started_on_one_process_is_resumed_through_the_other(
    cluster: Cluster,
) -> None:
    visitor = "198.51.100.1"
    first, started_on = cluster.post(
        "/api/chat", {"message": "ticks 16", "resumable": True}, visitor
    )
    assert first.status == 200 and started_on in cluster.processes
    before = complete_events(read_until(first, b"tick 2"))
    first.close()  # the visitor goes to another page of the site
    start, last = before[0].data, int(before[-1].id or 0)
    again, resumed_on = cluster.post(
        f"/api/streams/{start['stream']}", {"token": start["token"], "after": last}, visitor
    )
    assert again.status == 200
    assert resumed_on in cluster.processes and resumed_on != started_on  # nginx's round robin
    after = parse_events(again.read())
    assert after[-1].event == "done"
    # No duplicate, no gap: the ids go on from the last one read, and the text is whole.
    ids = [int(event.id or 0) for event in before + after if event.id is not None]
    assert ids == list(range(ids[0], ids[0] + len(ids))), ids
    assert answer_text(before + after) == "".join(f"tick {i} " for i in range(16))


def test_limits_are_shared_by_both_processes(cluster: Cluster) -> None:
    # Five messages a minute for one visitor, whichever process gets them.
    visitor = "198.51.100.2"
    answered_by = set()
    for n in range(5):
        events, upstream = cluster.chat(f"hello {n}", visitor)
        assert answer_text(events) == f"echo: hello {n}"
        answered_by.add(upstream)
    assert answered_by == set(cluster.processes)  # each alone would allow five more
    refused, _ = cluster.post("/api/chat", {"message": "one more"}, visitor)
    assert refused.status == 429
    assert int(refused.headers["Retry-After"]) >= 1
    body = json.loads(refused.read())
    assert body["ok"] is False and body["status"] == 429 and body["code"] == "rate_limited"
    assert cluster.chat("another visitor", "198.51.100.3")[0][-1].event == "done"

    # Two answers streaming at once for one visitor, one on each process: a third is refused.
    visitor = "198.51.100.4"
    held = [cluster.post("/api/chat", {"message": "forever"}, visitor) for _ in range(2)]
    assert {upstream for _, upstream in held} == set(cluster.processes)
    for response, _ in held:
        read_until(response, b"tick 0")
    third, _ = cluster.post("/api/chat", {"message": "forever"}, visitor)
    assert third.status == 429
    assert json.loads(third.read())["code"] == "rate_limited"
    while cluster.connections:  # the visitor stops both: their slots come back
        cluster.connections.pop().close()
    slots = redis_client.from_url(cluster.redis)
    try:
        wait_until(
            lambda: not slots.keys(f"*:slots:{visitor}"),
            "the slots of the closed streams did not come back",
        )
    finally:
        slots.close()
    events, _ = cluster.chat("short again", visitor)
    assert events[-1].event == "done"


def test_a_flag_and_a_turn_through_one_process_show_through_the_other(cluster: Cluster) -> None:
    visitor = "198.51.100.5"
    conversation = "conversation-across-the-cluster"
    events, answered_on = cluster.chat("flag me", visitor, session=conversation)
    answer_id = events[-1].data["id"]
    flag = {
        "id": answer_id,
        "conversation": [
            {"role": "user", "content": "flag me"},
            {"role": "assistant", "content": "echo: flag me"},
        ],
        "flag": "Spam",
        "visitor": "visitor-5",
        "conversation_id": conversation,
    }
    flagged, flagged_on = cluster.post("/api/feedback", flag, visitor)
    assert (flagged.status, flagged.read()) == (200, b'{"ok":true}\n')
    # The other process checked the answer's signature with the shared secret.
    assert flagged_on != answered_on

    # The console through nginx: its login form, the login and the export may each reach
    # either process (sessions are signed with the shared secret).
    with httpx.Client(base_url=f"http://{cluster.front}", timeout=LIVENESS) as console:
        page = console.get("/admin/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token, page.text
        login = console.post("/admin/login", data={"csrf": token.group(1), "password": PASSWORD})
        assert login.status_code == 303, login.text
        seen_by: set[str] = set()

        def exported() -> dict[str, Any] | None:
            response = console.get("/admin/export.jsonl")
            assert response.status_code == 200, response.text
            seen_by.add(response.headers["X-Upstream"])
            for line in response.text.splitlines():
                found = json.loads(line)
                if found["id"] == conversation and found["feedback"]:
                    return dict(found)
            return None

        found = wait_until(exported, "the turn and its flag did not reach the console")
        # Read once more: both processes show it.
        found = wait_until(exported, "the other process did not show it")
        while seen_by != set(cluster.processes):
            assert exported() == found
    texts = [message["text"] for message in found["messages"]]
    assert texts == ["flag me", "echo: flag me"], found["messages"]
    assert [row["flag"] for row in found["feedback"]] == ["Spam"]


def test_a_process_killed_mid_answer_ends_its_stream_and_the_other_serves_on(
    cluster: Cluster,
) -> None:
    """Last in the module: the cluster has one process left after it."""
    visitor = "198.51.100.6"
    first, running_on = cluster.post(
        "/api/chat", {"message": "forever", "resumable": True}, visitor
    )
    assert first.status == 200
    seen = read_until(first, b"tick 1")
    os.kill(cluster.processes[running_on], signal.SIGKILL)

    # The visitor's connection ends (nginx lost its upstream mid-answer), never hangs (the
    # connection's timeout is LIVENESS: a hang raises TimeoutError and fails the test).
    try:
        while chunk := first.read1(65536):
            seen += chunk
    except (http.client.IncompleteRead, ConnectionError):
        pass
    before = complete_events(seen)
    assert before[-1].event == "message"  # cut: neither done nor an error event

    # Its resume (the widget's next page) reaches the other process, which says the answer
    # is lost instead of waiting for it.
    start, last = before[0].data, int(before[-1].id or 0)
    again, resumed_on = cluster.post(
        f"/api/streams/{start['stream']}", {"token": start["token"], "after": last}, visitor
    )
    assert again.status == 200
    assert resumed_on != running_on
    after = parse_events(again.read())
    assert after[-1].event == "error" and after[-1].data["code"] == "stream_lost"
    assert after[-1].data["error"]  # a message the widget shows in the bubble
    ids = [int(event.id or 0) for event in before + after[:-1] if event.id is not None]
    assert ids == list(range(ids[0], ids[0] + len(ids)))  # what it had is not sent again

    # New chats through nginx keep being answered, by the process left.
    for n in range(3):
        events, upstream = cluster.chat(f"still there {n}", f"198.51.100.{10 + n}")
        assert answer_text(events) == f"echo: still there {n}"
        assert upstream != running_on
    for log in cluster.logs:
        assert "Traceback" not in log.read_text()
