"""Waiting in line under ``concurrency_limit``, as Gradio's clients see it: a call that waits
gets ``estimation`` messages with its rank (how many wait ahead), then ``process_starts`` when
the chat function starts; the real ``gradio_client`` reports it as ``IN_QUEUE`` with that rank."""

from __future__ import annotations

from pathlib import Path

from gradio_client import Client
from gradio_client.utils import Status

from tests.servers import running_server
from tests.waiting import complete_lines, wait_until, write_atomically

APPS = Path(__file__).resolve().parents[2] / "apps"


def test_a_waiting_call_sees_its_rank_then_starts(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    app = str(APPS / "one_at_a_time.py")
    with running_server(app, env={"PROBE_FILE": str(probe)}) as base:
        first = Client(base, verbose=False, analytics_enabled=False)
        second = Client(base, verbose=False, analytics_enabled=False)
        third = Client(base, verbose=False, analytics_enabled=False)
        try:
            running = first.submit("a", api_name="/answer")
            wait_until(lambda: "start a" in complete_lines(probe), "the first call did not start")
            next_in_line = second.submit("b", api_name="/answer")

            def rank_of(job: object) -> int | None:
                status = job.status()  # type: ignore[attr-defined]
                return status.rank if status.code == Status.IN_QUEUE else None

            wait_until(lambda: rank_of(next_in_line) == 0, "b was not told its rank")
            last = third.submit("c", api_name="/answer")
            wait_until(lambda: rank_of(last) == 1, "c was not told one call waits ahead")
            assert "start b" not in complete_lines(probe)

            write_atomically(Path(f"{probe}.go-a"), "go\n")
            assert running.result() == "Answered a"
            # b starts (its status leaves the queue); c is now next.
            wait_until(lambda: "start b" in complete_lines(probe), "b did not start")
            wait_until(lambda: rank_of(last) == 0, "c did not move up")
            write_atomically(Path(f"{probe}.go-b"), "go\n")
            write_atomically(Path(f"{probe}.go-c"), "go\n")
            assert next_in_line.result() == "Answered b"
            assert last.result() == "Answered c"
        finally:
            for client in (first, second, third):
                client.close()
