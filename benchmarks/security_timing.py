"""How long the security suite's hostile requests take: the figures its tests no longer assert.

On a busy machine a wall-clock bound in a test fails at random, so tests/security checks what
these requests do (status, body, no amplification) and catches a hang with a liveness bound;
this script prints how fast they are, on an otherwise idle machine:

- F-3: a live file id's lookup against a missing one's (a timing oracle would tell them apart);
- F-8: a range request asking for 1,000 ranges, and a few odd ones;
- J-4: a 16 MB Content-Length with no body (refused before reading);
- J-8: ReDoS-shaped strings as a message (422), in the history, in a flag.

Starts ``backend serve tests/security/apps/{multimodal,echo}.py`` on free 127.0.0.1 ports.
"""

from __future__ import annotations

import secrets
import statistics
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.security.harness import APPS, Resp, Server, env_for, post_json, request  # noqa: E402
from tests.security.samples import PNG, upload  # noqa: E402
from tests.security.test_json import REDOS, flag_everywhere  # noqa: E402
from tests.servers import running_server  # noqa: E402

ROUNDS = 200


def timed(label: str, send: Callable[[], Resp], rounds: int) -> None:
    times = sorted(send().elapsed for _ in range(rounds))
    median = statistics.median(times) * 1000
    p90 = times[int(len(times) * 0.9) - 1] * 1000 if len(times) >= 10 else times[-1] * 1000
    print(f"{label:<52} median {median:7.2f} ms  p90 {p90:7.2f} ms  (n={rounds})")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="security-timing-") as temp:
        base = Path(temp)
        for app, flags in (("multimodal", ["--max-file-size", "65536"]), ("echo", [])):
            workdir = base / app
            workdir.mkdir()
            store = workdir / "store"
            with running_server(
                str(APPS / f"{app}.py"), "--upload-dir", str(store), "--log-level", "warning",
                "--feedback-rate-limit", "0", *flags,
                env=env_for(workdir, {"SECURITY_PAYLOADS": "[]"}), log=workdir / "log",
            ) as url:  # fmt: skip
                target = Server(app, url, 0, workdir, workdir / "log", workdir / "calls",
                                workdir / "flags", store)  # fmt: skip
                if app == "multimodal":
                    files(target)
                else:
                    bodies(target)


def files(target: Server) -> None:
    live = upload(target, "a.png", PNG, "image/png").json()["id"]
    missing = secrets.token_urlsafe(32)
    print("F-3: HEAD /api/files/<id>, live and missing ids interleaved")
    live_times: list[float] = []
    missing_times: list[float] = []
    for _ in range(ROUNDS):
        live_times.append(request(target, "HEAD", f"/api/files/{live}").elapsed)
        missing_times.append(request(target, "HEAD", f"/api/files/{missing}").elapsed)
    for label, times in (("  live id", live_times), ("  missing id", missing_times)):
        times.sort()
        print(
            f"{label:<52} median {statistics.median(times) * 1000:7.2f} ms  "
            f"p90 {times[int(len(times) * 0.9) - 1] * 1000:7.2f} ms  (n={ROUNDS})"
        )
    ratio = statistics.median(live_times) / statistics.median(missing_times)
    print(f"  median live / median missing: {ratio:.2f}")
    print("F-8: GET /api/files/<id> with a Range header")
    for name, spec in (("1,000 ranges", ",".join(["0-0"] * 1000)), ("0-3", "0-3"),
                       ("huge", "0-99999999999999999999")):  # fmt: skip
        get = partial(
            request, target, "GET", f"/api/files/{live}", headers={"Range": "bytes=" + spec}
        )
        timed(f"  {name}", get, 50)


def bodies(target: Server) -> None:
    print("J-4: 16 MB Content-Length, no body")
    headers = {"Content-Type": "application/json", "Content-Length": str(16 * 2**20)}
    timed("  413", partial(request, target, "POST", "/api/chat", b"", headers), 50)
    print("J-8: ReDoS-shaped strings (50,000 characters)")
    for key, text in REDOS.items():
        message = partial(post_json, target, "/api/chat", {"message": text})
        timed(f"  {key} as the message (422)", message, 10)
        history = {"message": "!history", "history": [{"role": "user", "content": text}]}
        timed(
            f"  {key} in the history (200, streamed)",
            partial(post_json, target, "/api/chat", history),
            10,
        )
        flag = flag_everywhere(text)
        timed(f"  {key} in a flag (422)", partial(post_json, target, "/api/feedback", flag), 10)


if __name__ == "__main__":
    main()
