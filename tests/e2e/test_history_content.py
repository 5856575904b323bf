"""The history a chat function receives through the widget, in Chromium: an app written for
Gradio 6 reads it as typed parts (text and files) over several turns, as it does on real
Gradio 6.31 (compared when CHATBUBBLE_GRADIO_PYTHON names a python with gradio installed); the
guide's count_images app keeps reading files as ``(path,)`` tuples (tests/e2e/test_uploads.py)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.servers import free_port, spawned
from tests.waiting import complete_lines, wait_until

from .apps.media_bot import MEDIA
from .conftest import APPS, Backend, HostServer
from .helpers import finished_answer, open_chat, send
from .test_uploads import attach, uploaded

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]
CHECKER = MEDIA / "checker.png"
GRADIO_PYTHON = os.environ.get("CHATBUBBLE_GRADIO_PYTHON")

#: What the function read on its second call: the first message's file part, then its text,
#: then the answer (Gradio puts file and text in one message; here each file is a message of
#: its own, as the guide shows: the parts in order are the same).
SECOND_READING = [
    ["user", "file", "checker.png"],
    ["user", "text", "first turn"],
    ["assistant", "text", "Read 0 parts"],
]


def readings(probe: Path, after: int) -> list[dict[str, Any]]:
    return [json.loads(line) for line in complete_lines(probe)[after:]]


def ours(page: Page, host: HostServer, bot: Backend) -> list[dict[str, Any]]:
    """Two turns through the widget (a file with the first); what the function read."""
    before = len(complete_lines(bot.probe))
    page.goto(host.add(bot.url))
    open_chat(page)
    attach(page, CHECKER)
    uploaded(page, "checker.png")
    send(page, "first turn")
    expect(finished_answer(page)).to_contain_text("Read 0 parts")
    send(page, "second turn")
    expect(finished_answer(page)).to_contain_text("Read 3 parts: first turn / Read 0 parts")
    send(page, "third turn")
    expect(finished_answer(page)).to_contain_text(
        "Read 5 parts: first turn / Read 0 parts / second turn / "
        "Read 3 parts: first turn / Read 0 parts"
    )
    return readings(bot.probe, before)


def test_a_gradio_6_app_reads_parts_over_several_turns(
    page: Page, host: HostServer, backends: Backends
) -> None:
    seen = ours(page, host, backends("gradio6_reader"))
    assert [reading["message"] for reading in seen] == ["first turn", "second turn", "third turn"]
    assert seen[0]["parts"] == [] and seen[1]["parts"] == SECOND_READING


@contextmanager
def real_gradio(python: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The same app served by Gradio itself (its own python), and its probe file."""
    app = tmp_path / "gradio6_reader.py"
    shutil.copy(APPS / "gradio6_reader.py", app)
    probe = tmp_path / "gradio.probe"
    probe.touch()
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "CHATBUBBLE_REAL_GRADIO": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_TEMP_DIR": str(tmp_path / "gradio-temp"),
        "PORT": str(port),
        "E2E_PROBE_FILE": str(probe),
    }
    base = f"http://127.0.0.1:{port}"
    with spawned(
        [python, str(app)],
        log=tmp_path / "gradio.log",
        ready_url=base + "/config",
        name="Gradio",
        cwd=tmp_path,
        env=env,
    ):
        yield base, probe


def gradio_turn(page: Page, text: str, answers: int, files: tuple[Path, ...] = ()) -> None:
    """One message on Gradio's own page; waits until its answer number ``answers`` is there."""
    if files:
        with page.expect_response(lambda r: "/gradio_api/upload" in r.url):
            page.locator("input[type=file]").first.set_input_files([str(f) for f in files])
        expect(
            page.locator("[data-testid=file-upload] ~ * img, .thumbnail-item").first
        ).to_be_visible()
    box = page.locator("textarea").first
    box.fill(text)
    box.press("Enter")
    expect(page.locator("[data-testid=bot]")).to_have_count(answers)
    expect(page.locator("[data-testid=bot]").last).to_contain_text("Read")


@pytest.mark.skipif(
    not GRADIO_PYTHON, reason="set CHATBUBBLE_GRADIO_PYTHON to a python with gradio installed"
)
def test_the_same_app_reads_the_same_on_real_gradio(
    page: Page, host: HostServer, backends: Backends, tmp_path: Path
) -> None:
    assert GRADIO_PYTHON is not None
    mine = ours(page, host, backends("gradio6_reader"))
    with real_gradio(GRADIO_PYTHON, tmp_path) as (base, probe):
        page.goto(base + "/")
        gradio_turn(page, "first turn", 1, (CHECKER,))
        gradio_turn(page, "second turn", 2)
        gradio_turn(page, "third turn", 3)
        theirs = wait_until(
            lambda: lines if len(lines := readings(probe, 0)) == 3 else None,
            "Gradio's three readings",
        )
    assert theirs == mine
