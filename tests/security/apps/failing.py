"""A bot that misbehaves on command; its exceptions carry the canary secret.

The message names the misbehaviour (see MODES in tests/security/test_errors.py).
"""

import os
import pathlib

import backend as gr

SECRET_KEY = os.environ["SECURITY_CANARY"]
SECRET_PATH = f"/srv/secrets/{SECRET_KEY}.key"
# "hang" stays silent until the test, having seen the stream's timeout, creates this file.
RELEASE = pathlib.Path(os.environ["SECURITY_CALLS_FILE"]).parent / "release-hang"


class UnprintableError(Exception):
    def __str__(self):
        raise RuntimeError(f"str() failed: {SECRET_KEY}")


async def _never():
    return SECRET_KEY


def misbehave(message, history):
    mode = message.strip()
    if mode == "raise-before":
        raise RuntimeError(f"database password is {SECRET_KEY}")
    yield "Working"
    yield "Working on it"
    if mode == "raise-after":
        raise ValueError(f"api key {SECRET_KEY} rejected by upstream")
    if mode == "key-error":
        raise KeyError(SECRET_KEY)
    if mode == "os-error":
        open(SECRET_PATH)
    if mode == "system-exit":
        raise SystemExit(f"exit {SECRET_KEY}")
    if mode == "keyboard-interrupt":
        raise KeyboardInterrupt(SECRET_KEY)
    if mode == "generator-exit":
        raise GeneratorExit(SECRET_KEY)
    if mode == "stop-iteration":
        raise StopIteration(SECRET_KEY)
    if mode == "recursion":

        def down(n):
            return down(n + 1)

        down(0)
    if mode == "unprintable":
        raise UnprintableError()
    if mode == "surrogate":
        raise RuntimeError(f"bad \ud800 {SECRET_KEY}")
    if mode == "assert":
        raise AssertionError(SECRET_KEY)
    if mode == "yield-none":
        yield None
    if mode == "yield-int":
        yield 42
    if mode == "yield-bytes":
        yield b"\xff\xfe" + SECRET_KEY.encode()
    if mode == "yield-dict":
        yield {"secret": SECRET_KEY}
    if mode == "yield-list":
        yield [SECRET_KEY, {"path": "/etc/passwd"}]
    if mode == "yield-object":
        yield object()
    if mode == "yield-coroutine":
        coroutine = _never()
        yield coroutine
        coroutine.close()
    if mode == "yield-path-text":
        yield "/etc/passwd"
    if mode == "yield-path-object":
        yield pathlib.Path("/etc/passwd")
    if mode == "yield-path-dict":
        yield {"path": "/etc/passwd"}
    if mode == "file-etc-passwd":
        yield gr.File("/etc/passwd")
    if mode == "file-missing":
        yield gr.File(SECRET_PATH)
    if mode == "file-traversal":
        yield gr.File("../../../../../../etc/shadow")
    if mode == "image-bad-bytes":
        yield gr.Image(b"not an image " + SECRET_KEY.encode())
    if mode == "html-script":
        yield gr.HTML("<script>alert(1)</script><img src=x onerror=alert(1)>")
    if mode == "execute":
        yield {"type": "execute", "code": "alert(1)"}
    if mode == "hang":
        import time

        # Silent for as long as the test needs: it releases the thread once the stream has
        # timed out (a poll: this worker thread has no event from the test to wait on; the cap
        # only keeps a crashed test from holding the thread, and the server's exit, forever).
        deadline = time.monotonic() + 300
        while not RELEASE.exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # poll: the release file gives the app no event to await
        RELEASE.unlink(missing_ok=True)
    if mode == "yield-5MB":
        yield "x" * 5_000_000
    if mode == "gr-error":
        raise gr.Error("A refusal the visitor may read.")


demo = gr.ChatInterface(misbehave, type="messages", title="Failing bot")
