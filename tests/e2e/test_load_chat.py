"""A bubble answered by an OpenAI-compatible model server: the guide's load_chat one-liner and
the CLI flags, in Chromium on a foreign-origin page; Stop reaches the model server."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.model_server import model_server
from tests.servers import running_server
from tests.waiting import LIVENESS

from .conftest import HostServer
from .helpers import finished_answer, open_chat, send

pytestmark = pytest.mark.e2e
APP = Path(__file__).parent / "apps" / "load_chat_one_liner.py"


def test_cli_flags_serve_a_model(page: Page, host: HostServer) -> None:
    with model_server() as model:
        flags = ("--openai-base-url", model.url, "--model", "llama3.2", "--token", "ollama")
        with running_server(*flags) as base:
            page.goto(host.add(base))
            open_chat(page)
            send(page, "hello there")
            expect(finished_answer(page).locator(".md")).to_have_text("You said: hello there")
            send(page, "and again")
            expect(finished_answer(page).locator(".md")).to_have_text("You said: and again")
    # The model saw the conversation as OpenAI messages, with the earlier turn.
    last = model.requests[-1]["body"]
    assert last["model"] == "llama3.2" and last["stream"] is True
    assert [m["role"] for m in last["messages"]] == ["user", "assistant", "user"]


def test_the_guide_one_liner_and_stop_reaches_the_model(page: Page, host: HostServer) -> None:
    with model_server() as model:
        env = {"E2E_MODEL_URL": model.url, "E2E_MODEL": "slow"}
        with running_server(str(APP), env=env) as base:
            page.goto(host.add(base))
            open_chat(page)
            send(page, "tell me a long story")
            answer = page.locator(".msg.bot").last
            expect(answer.locator(".md")).not_to_have_text("")
            page.get_by_role("button", name="Stop").click()
            expect(answer).to_have_attribute("aria-busy", "false")
            expect(answer).to_contain_text("Stopped")
            assert model.disconnected.wait(LIVENESS), "the model server did not see the Stop"


def test_the_page_reaches_the_model_through_the_system_template(
    page: Page, host: HostServer
) -> None:
    app = APP.parent / "load_chat_page_template.py"
    with (
        model_server() as model,
        running_server(str(app), env={"E2E_MODEL_URL": model.url}) as base,
    ):
        url = host.add(base, attrs='data-context=\'{"plan": "pro"}\'')
        page.goto(url + "?from=ad#top")
        open_chat(page)
        send(page, "hello")
        expect(finished_answer(page).locator(".md")).to_have_text("You said: hello")
    system = model.requests[-1]["body"]["messages"][0]
    assert system == {
        "role": "system",
        "content": f"You help on Host page ({url}?from=ad); plan pro.",
    }
