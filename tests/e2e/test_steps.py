"""Thoughts and tool steps, preset replies, additional inputs and outputs, Blocks layouts: Gradio's
demos (tests/e2e/apps, only the import changed) in Chromium on a page of another origin."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, Request, expect

from tests.waiting import LIVENESS, complete_lines, wait_until

from .conftest import Backend, HostServer
from .helpers import Gate, chat_posts, finished_answer, open_chat, send
from .test_customization import serious_violations

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]
DURATION = re.compile(r"^\d+(\.\d+)? s$")


def step(scope: Page | Locator, title: str) -> Locator:
    """The step whose header button is named ``title``."""
    head = scope.get_by_role("button", name=title, exact=False)
    return scope.locator(".step").filter(has=head).last


def answer_text(page: Page) -> Locator:
    """The text of the newest answer, once its stream has ended (without its action buttons)."""
    return finished_answer(page).locator(".md").first


def head_of(item: Locator) -> Locator:
    return item.locator("> .step-head")


def answers(page: Page) -> Locator:
    """Every answer bubble (the extra bubbles of an answer's parts aside)."""
    return page.locator(".msg.bot[aria-busy]")


def next_answer(page: Page, before: int) -> Locator:
    """The answer after the ``before`` ones already on the page, once its stream has ended (not
    the previous one, finished already, before the new one shows)."""
    expect(answers(page)).to_have_count(before + 1)
    answer = answers(page).nth(before)
    expect(answer).to_have_attribute("aria-busy", "false")
    return answer


def is_chat_post(request: Request) -> bool:
    return request.method == "POST" and "/api/chat" in request.url


def gate_named_by_the_app(bot: Backend, seen: list[str]) -> Gate:
    """The gate at which the app waits now, named by itself (a message that names none): the
    newest "waiting at gate <name>" in its probe file that ``seen`` did not hold."""

    def waiting() -> str | None:
        fresh = [line for line in complete_lines(bot.probe) if line not in seen]
        waits = [line for line in fresh if line.startswith("waiting at gate ")]
        return waits[-1].removeprefix("waiting at gate ") if waits else None

    return Gate(bot, wait_until(waiting, "the answer waits at a gate"))


def chunk_requests(page: Page, name: str) -> list[Request]:
    """Every request the page makes for the chunk ``name`` from now on."""
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if f"/widget/{name}.js" in r.url else None)
    return seen


def test_a_thought_spins_then_collapses_with_its_duration(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("thoughts_gated")  # the thoughts demo, held after its first thought
    gate = Gate(bot)
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, f"Why is the sky blue? {gate}")
    thought = step(page, "Thinking step-by-step")
    head = head_of(thought)
    # Pending (the demo waits at the gate): a spinner, open, the thoughts streaming in; the
    # title is markdown.
    expect(thought.locator(".step-spin")).to_be_visible()
    expect(head).to_have_attribute("aria-expanded", "true")
    expect(thought).to_have_attribute("aria-busy", "true")
    expect(head.locator("em")).to_have_text("Thinking")
    expect(thought.locator(".step-body")).to_contain_text("core aspects of the query")
    expect(thought.locator(".step-body li")).to_have_count(1)
    expect(answers(page).last).to_have_attribute("aria-busy", "true")
    wait_until(gate.is_waiting, f"the answer waits at {gate}")

    gate.open()
    answer = finished_answer(page)
    expect(head).to_have_attribute("aria-expanded", "false")
    expect(thought.locator(".step-body")).to_be_hidden()
    expect(thought.locator(".step-spin")).to_have_count(0)
    expect(thought.locator(".step-time")).to_have_text(DURATION)
    expect(answer).to_contain_text("Based on my thoughts and analysis above")

    head.click()
    expect(head).to_have_attribute("aria-expanded", "true")
    expect(thought.locator(".step-body li")).to_have_count(4)

    # A reload keeps the step (metadata survives the snapshot), closed as it was done.
    page.reload()
    thought = step(page, "Thinking step-by-step")
    expect(head_of(thought)).to_have_attribute("aria-expanded", "false")
    expect(thought.locator(".step-time")).to_have_text(DURATION)


def test_nested_steps(page: Page, host: HostServer, backends: Backends) -> None:
    # The nested thoughts demo, held while the tool step and its second check are pending.
    bot = backends("nested_thoughts_gated")
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    seen = complete_lines(bot.probe)
    dialog.get_by_role("button", name="What is the weather in San Francisco right now?").click()
    tool = step(page, "Using Weather Tool")
    head = head_of(tool)
    kids = tool.locator("> .step-body > .step-kids > .step")
    # Pending: the tool step and its check of sunny.org spin; the check of weather.com is done.
    expect(head.locator(".step-spin")).to_be_visible()
    expect(tool).to_have_attribute("aria-busy", "true")
    expect(kids).to_have_count(2)
    expect(kids.nth(0)).to_have_attribute("aria-busy", "false")
    expect(kids.nth(1)).to_have_attribute("aria-busy", "true")
    expect(kids.nth(1).locator("> .step-head .step-spin")).to_be_visible()
    expect(page.locator(".msg.bot.part").first).to_contain_text("I will need to use my weather")
    expect(answers(page).last).to_have_attribute("aria-busy", "true")
    expect(page.locator(".msg.bot", has_text="60 degrees and sunny")).to_have_count(0)
    gate = gate_named_by_the_app(bot, seen)
    wait_until(gate.is_waiting, f"the answer waits at {gate}")

    gate.open()
    answer = finished_answer(page)
    expect(answer).to_contain_text("60 degrees and sunny")
    expect(page.locator(".msg.bot.part").first).to_contain_text("I will need to use my weather")
    expect(tool).to_have_attribute("aria-busy", "false")
    expect(tool.locator(".step-spin")).to_have_count(0)

    expect(head).to_have_attribute("aria-expanded", "false")
    expect(head.locator(".step-time")).to_have_text(DURATION)
    head.click()
    expect(kids).to_have_count(2)
    expect(kids.nth(0).locator("> .step-head")).to_contain_text("Checking weather.com")
    expect(kids.nth(0).locator("> .step-head .step-time")).to_have_text("0.05 s")
    sunny = kids.nth(1)
    expect(sunny.locator("> .step-head")).to_contain_text("Checking sunny.org")
    sunny.locator("> .step-head").click()
    deeper = sunny.locator("> .step-body > .step-kids > .step")
    expect(deeper).to_have_count(1)
    expect(deeper.locator("> .step-head")).to_contain_text("I will try again")
    expect(deeper.locator("> .step-body")).to_contain_text("Failed again")
    expect(sunny.locator("> .step-body > .md")).to_contain_text("API Error")


def test_preset_replies_send_their_values(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("preset_replies").url))
    dialog = open_chat(page)
    posts = chat_posts(page)
    dialog.get_by_role("button", name="Write an example Python lambda function.").click()
    answer = finished_answer(page)
    expect(answer).to_contain_text("Is this correct?")
    replies = answer.get_by_role("group", name="Replies")
    expect(replies.get_by_role("button")).to_have_text(["Yes", "No"])

    replies.get_by_role("button", name="Yes").click()
    expect(page.locator(".msg.user").last).to_have_text("Yes, that's correct.")
    expect(answer_text(page)).to_have_text("Great!")
    assert json.loads(posts[-1].post_data or "{}")["message"] == "Yes, that's correct."
    # Used: preset replies show under the newest answer only.
    expect(replies).to_be_hidden()

    send(page, "Another one")
    newest = next_answer(page, 2).get_by_role("group", name="Replies")
    expect(newest.get_by_role("button")).to_have_text(["Yes", "No"])
    # After a reload they are still there, and send again.
    page.reload()
    newest = page.locator(".msg.bot").last.get_by_role("group", name="Replies")
    with page.expect_request(is_chat_post) as sent:
        newest.get_by_role("button", name="No").click()
    expect(page.locator(".msg.user").last).to_have_text("No")
    expect(next_answer(page, 3)).to_contain_text("Is this correct?")
    assert json.loads(sent.value.post_data or "{}")["message"] == "No"


def test_system_prompt_and_slider_reach_the_function(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("system_prompt").url))
    dialog = open_chat(page)
    posts = chat_posts(page)
    section = dialog.locator("details", has_text="Additional Inputs")
    expect(section).not_to_have_attribute("open", "")
    section.locator("summary").click()
    prompt = dialog.get_by_role("textbox", name="System Prompt")
    expect(prompt).to_have_value("You are helpful AI.")
    slider = dialog.get_by_role("slider", name="Slider")
    expect(slider).to_have_value("10")

    send(page, "hi")
    expect(answer_text(page)).to_have_text("System pro")  # the slider's 10 characters
    assert json.loads(posts[-1].post_data or "{}")["inputs"] == ["You are helpful AI.", 10]

    prompt.fill("You are a pirate.")
    number = dialog.get_by_role("spinbutton", name="Slider")
    number.fill("100")
    number.press("Tab")
    expect(slider).to_have_value("100")
    send(page, "ahoy")
    expect(answer_text(page)).to_have_text(
        "System prompt: You are a pirate.\n Message: ahoy.", use_inner_text=True
    )
    assert json.loads(posts[-1].post_data or "{}")["inputs"] == ["You are a pirate.", 100]


def test_code_artifact_is_highlighted(page: Page, host: HostServer, backends: Backends) -> None:
    highlight = chunk_requests(page, "highlight")
    page.goto(host.add(backends("artifacts").url))
    dialog = open_chat(page)
    expect(dialog.locator(".above h1")).to_have_text("Write Python or JavaScript")

    send(page, "hello")
    expect(answer_text(page)).to_have_text("Please ask about Python or JavaScript.")
    pane = dialog.get_by_role("region", name="Code")
    expect(pane).to_be_hidden()
    assert not highlight, "the highlighter loads only when code is shown"

    dialog.get_by_role("textbox", name="Message").fill("Python please")
    dialog.get_by_role("textbox", name="Message").press("Enter")
    expect(pane).to_be_visible()
    expect(pane.locator("code")).to_contain_text("def fib(n):")
    expect(pane.locator("code .hljs-keyword").first).to_have_text("def")
    expect(pane.get_by_role("button", name="Copy")).to_be_visible()
    expect(dialog.locator(".below h1")).to_have_text("Code Artifacts")
    # A wide screen shows the pane beside the conversation.
    expect(page.locator(".panel")).to_have_class(re.compile(r"\bwide\b"))
    box = page.locator(".panel").bounding_box()
    assert box and box["width"] > 700

    next_answer(page, 1)  # the widget takes the next message once this answer has ended
    send(page, "Now JavaScript")
    expect(pane.locator("code")).to_contain_text("function fib(n)")
    expect(pane.locator("code .hljs-keyword").first).to_have_text("function")
    next_answer(page, 2)
    send(page, "thanks")
    # Once that answer has ended (so no later outputs event may still change the pane):
    expect(next_answer(page, 3).locator(".md").first).to_have_text(
        "Please ask about Python or JavaScript."
    )
    expect(pane.locator("code")).to_contain_text("function fib(n)")  # None: unchanged
    assert len(highlight) == 1


def test_code_artifact_on_a_phone(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(host.add(backends("artifacts").url))
    dialog = open_chat(page)
    send(page, "python")
    pane = dialog.get_by_role("region", name="Code")
    expect(pane).to_be_visible()
    expand = pane.get_by_role("button", name="Expand")
    expand.click()
    expect(pane.get_by_role("button", name="Collapse")).to_have_attribute("aria-expanded", "true")
    expect(dialog.get_by_role("log")).to_be_hidden()
    box = pane.bounding_box()
    assert box and box["width"] <= 390
    pane.get_by_role("button", name="Collapse").click()
    expect(dialog.get_by_role("log")).to_be_visible()


def test_blocks_put_the_prompt_above_and_the_slider_in_the_accordion(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("blocks_system_prompt").url))
    dialog = open_chat(page)
    prompt = dialog.get_by_role("textbox", name="System Prompt")
    expect(prompt).to_be_visible()
    above = prompt.bounding_box()
    log = dialog.get_by_role("log").bounding_box()
    assert above and log and above["y"] + above["height"] <= log["y"]
    section = dialog.locator("details", has_text="Additional Inputs")
    slider = section.get_by_role("slider")
    expect(slider).to_be_hidden()
    section.locator("summary").click()
    expect(slider).to_be_visible()
    expect(dialog.locator(".above").get_by_role("slider")).to_have_count(0)

    prompt.fill("Be brief.")
    send(page, "hi")
    expect(answer_text(page)).to_have_text("System pro")


def test_examples_with_inputs_fill_them_and_send(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("examples_with_inputs").url))
    dialog = open_chat(page)
    posts = chat_posts(page)
    table = dialog.get_by_role("table", name="Examples")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Message", "System Prompt", "Tokens", "Mood"]
    )
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(
        ["Hello", "You are a pirate.", "20", "Grumpy"]
    )
    expect(dialog.locator(".intro .examples")).to_be_hidden()  # the table stands in for them

    table.get_by_role("button", name="Hello").click()
    expect(answer_text(page)).to_have_text("You are a pirate. / 20 / grumpy: Hello")
    body = json.loads(posts[-1].post_data or "{}")
    assert body["example"] == 0 and body["inputs"] == ["You are a pirate.", 20, "grumpy"]
    # The inputs now hold the example's values, and the next message sends them.
    dialog.locator("details summary").click()
    expect(dialog.get_by_role("combobox", name="Mood")).to_have_value("1")
    send(page, "again")
    expect(answer_text(page)).to_have_text("You are a pirate. / 20 / grumpy: again")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_serious(
    page: Page, host: HostServer, backends: Backends, theme: str
) -> None:
    attrs = f'data-theme="{theme}"'
    page.goto(host.add(backends("nested_thoughts").url, attrs=attrs))
    open_chat(page)
    send(page, "weather?")
    finished_answer(page)
    head_of(step(page, "Using Weather Tool")).click()
    assert serious_violations(page) == []

    page.goto(host.add(backends("examples_with_inputs").url, attrs=attrs))
    dialog = open_chat(page)
    dialog.locator("details summary").click()
    expect(dialog.get_by_role("slider", name="Tokens")).to_be_visible()
    assert serious_violations(page) == []

    page.goto(host.add(backends("artifacts").url, attrs=attrs))
    dialog = open_chat(page)
    send(page, "python")
    expect(dialog.locator(".hljs-keyword").first).to_be_visible()
    assert serious_violations(page) == []


def test_an_earlier_step_grows_in_place(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("growing_step")
    gate = Gate(bot)  # the function waits there after its first state, until the test has seen it
    request = urllib.request.Request(
        f"{bot.url}/api/chat",
        data=json.dumps({"message": f"find it {gate}"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=LIVENESS) as response:
        first = ""  # the event with the first state (after the stream's own first event)
        while not (first.startswith("data:") and "Looking" in first):
            first = response.readline().decode()
            assert first, "the stream ended before the answer's first state"
        gate.open()
        later = response.read().decode()
    assert "Still looking for it." in first and "Looking." not in first
    assert '"at":0' in later.replace(" ", "")  # the step grows by indexed appends

    gate = Gate(bot)
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, f"find it {gate}")
    searching = step(page, "Searching")
    # The first state, while the function waits at the gate: the answer under the pending step.
    expect(searching).to_have_attribute("aria-busy", "true")
    expect(searching.locator(".step-body")).to_have_text("Looking")
    expect(page.locator(".msg.bot", has_text="Still looking for it.")).to_have_count(1)
    shown = searching.element_handle()
    wait_until(gate.is_waiting, f"the answer waits at {gate}")

    gate.open()
    expect(answer_text(page)).to_have_text("Still looking for it.")
    expect(head_of(searching)).to_have_attribute("aria-expanded", "false")
    head_of(searching).click()
    expect(searching.locator(".step-body")).to_have_text("Looking...")
    # In place: the step on screen is the one drawn first, grown.
    assert shown.evaluate("(node) => node.isConnected && node.textContent.includes('Looking...')")
