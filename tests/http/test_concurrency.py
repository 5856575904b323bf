"""``concurrency_limit`` against a real ``backend serve``: callers over the limit wait in line,
told their place, and every one is answered in turn; a validator stops a message before the
chat function."""

from __future__ import annotations

import http.client
import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import answer_text, complete_events, parse_events
from tests.servers import running_server, stream_post
from tests.waiting import complete_lines, wait_until, write_atomically

CLIENTS = 5


def test_one_at_a_time_every_caller_answered_in_turn(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    messages = [f"m{i}" for i in range(CLIENTS)]
    # What each client has read so far (filled by its thread; the keys are fixed up front).
    received = dict.fromkeys(messages, b"")
    opened: list[http.client.HTTPConnection] = []

    def running() -> list[str]:
        """The messages whose call started and has not ended, from the app's record."""
        started: list[str] = []
        for line in complete_lines(probe):
            what, message = line.split(" ", 1)
            if what == "start":
                started.append(message)
            else:
                started.remove(message)
        return started

    with running_server("tests/apps/one_at_a_time.py", env={"PROBE_FILE": str(probe)}) as base:

        def ask(message: str) -> None:
            _, response = stream_post(base, "/api/chat", {"message": message}, opened)
            assert response.status == 200
            while chunk := response.read1(65536):
                received[message] += chunk

        def queued() -> list[str] | None:
            told = [m for m, data in list(received.items()) if b"event: queue" in data]
            return told if len(told) == CLIENTS - 1 else None

        threads = [threading.Thread(target=ask, args=(message,)) for message in messages]
        try:
            for thread in threads:
                thread.start()
            # One call runs; the four others wait, each told its place in line.
            waiting = wait_until(queued, lambda: f"not all waiting: {received}")
            first = wait_until(running, "no call started")
            assert first[0] not in waiting
            places = {
                message: [
                    e.data["position"]
                    for e in complete_events(received[message])
                    if e.event == "queue"
                ][0]
                for message in waiting
            }
            assert sorted(places.values()) == [0, 1, 2, 3], places
            # Let each call end in turn: the next in line starts only then.
            order = [first[0], *sorted(places, key=places.__getitem__)]
            for message, following in zip(order, [*order[1:], None], strict=True):
                assert running() == [message]
                write_atomically(Path(f"{probe}.go-{message}"), "go\n")
                after = [following] if following else []

                def moved_on(after: list[str] = after) -> bool:
                    return running() == after

                wait_until(moved_on, lambda: str(running()))
            for thread in threads:
                thread.join()
        finally:
            for connection in opened:
                connection.close()

    # At most one call at a time, all five answered, in the order they waited.
    lines = complete_lines(probe)
    assert lines == [f"{what} {message}" for message in order for what in ("start", "end")]
    for message in messages:
        events = parse_events(received[message])
        assert events[-1].event == "done" and answer_text(events) == f"Answered {message}"
        positions = [e.data["position"] for e in events if e.event == "queue"]
        if message == order[0]:
            assert positions == []  # it walked in
        else:
            # Moving up one place each time a call ahead ends, then its turn (null).
            assert positions == [*range(places[message], -1, -1), None], positions


def test_the_validator_stops_a_message_before_the_chat_function(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    with running_server("tests/apps/validated.py", env={"PROBE_FILE": str(probe)}) as base:

        def post(body: dict[str, object]) -> tuple[int, bytes]:
            request = urllib.request.Request(
                base + "/api/chat",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
            )
            try:
                with urllib.request.urlopen(request) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as refused:
                return refused.code, refused.read()

        status, body = post({"message": "hey"})  # the input's default: at least 5
        assert status == 422
        assert json.loads(body) == {
            "ok": False,
            "status": 422,
            "code": "validation_failed",
            "error": "Please write at least 5 characters.",
        }
        status, body = post({"message": "hey", "inputs": [2]})  # the validator got the input
        assert status == 200 and answer_text(parse_events(body)) == "Accepted: hey"
        status, body = post({"message": "hello, 5", "inputs": [9]})
        assert status == 422 and b"at least 9 characters" in body
    assert complete_lines(probe) == ["hey"]  # the refused messages never reached the function
