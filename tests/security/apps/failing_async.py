"""An async generator that misbehaves on command, on the server's event loop itself."""

import asyncio
import os

import backend as gr

SECRET_KEY = os.environ["SECURITY_CANARY"]


async def misbehave(message, history):
    mode = message.strip()
    if mode == "raise-before":
        raise RuntimeError(f"database password is {SECRET_KEY}")
    yield "Working"
    await asyncio.sleep(0)  # lets the event loop run between two yields, as a real model would
    yield "Working on it"
    if mode == "raise-after":
        raise ValueError(f"api key {SECRET_KEY} rejected by upstream")
    if mode == "system-exit":
        raise SystemExit(f"exit {SECRET_KEY}")
    if mode == "keyboard-interrupt":
        raise KeyboardInterrupt(SECRET_KEY)
    if mode == "generator-exit":
        raise GeneratorExit(SECRET_KEY)
    if mode == "stop-async-iteration":
        raise StopAsyncIteration(SECRET_KEY)
    if mode == "cancelled":
        raise asyncio.CancelledError(SECRET_KEY)
    if mode == "timeout-error":
        raise TimeoutError(SECRET_KEY)
    if mode == "yield-bytes":
        yield b"\xff\xfe" + SECRET_KEY.encode()


demo = gr.ChatInterface(misbehave, type="messages", title="Failing async bot")
