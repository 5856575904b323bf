"""The npm package (index.js as widget/build-npm.mjs builds it) on a host page of another
origin, imported as a module: ``mount`` puts an inline chat into an element and it answers from
the real backend; each handle hears only its own chat; ``destroy`` leaves no element, script,
window or document listener, nor an open request (the server's generator is stopped), and a new
``mount`` works; a server that speaks another protocol, or none, gets one clear message."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import CDPSession, ConsoleMessage, Page, Route, expect

from tests.waiting import wait_until

from .conftest import ROOT, Backend, HostPage, HostServer

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]

# A widget.js built from the same sources but speaking protocol 999 (as a newer server's would).
OTHER_PROTOCOL = r"""
import * as esbuild from "esbuild";
const result = await esbuild.build({
  entryPoints: ["widget/src/index.ts"], bundle: true, format: "iife", write: false,
  logLevel: "error", loader: { ".css": "text" },
  define: { __DEV__: "false", __VERSION__: '"9.9.9"' },
  plugins: [{ name: "protocol", setup(build) {
    build.onLoad({ filter: /protocol\.ts$/ }, () => ({
      contents: "export const PROTOCOL = 999;", loader: "ts" }));
  } }],
});
process.stdout.write(result.outputFiles[0].text);
"""


@pytest.fixture(scope="module", name="package")
def _package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package as widget/build-npm.mjs builds it (into a directory of this module's own)."""
    out = tmp_path_factory.mktemp("npm")
    subprocess.run(
        ["node", "widget/build-npm.mjs", str(out)], cwd=ROOT, check=True, capture_output=True
    )
    return out


def npm_page(page: Page, host: HostServer, package: Path, body: str) -> None:
    """Opens a host page whose module script imports the package as ``window.npm``."""
    path = f"/npm-page{len(host.pages)}.html"
    host.pages[path] = HostPage(
        html=(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>'
            '<script type="module">import * as npm from "/npm/index.js";'
            " window.npm = npm;</script>"
            f"</head><body>{body}</body></html>"
        ),
        headers={},
    )

    def serve(route: Route) -> None:
        name = route.request.url.split("/npm/", 1)[1]
        route.fulfill(path=str(package / name), content_type="text/javascript")

    page.route(f"http://localhost:{host.port}/npm/**", serve)
    page.goto(f"http://localhost:{host.port}{path}")
    page.wait_for_function("() => window.npm !== undefined")


def ours(page: Page) -> int:
    """What the package and the widget put in the page's DOM: hosts, scripts, messages."""
    count: int = page.evaluate(
        """() => document.querySelectorAll(
            'chatbubble-widget, script[src*="widget.js"], [data-chatbubble-error]').length"""
    )
    return count


def listeners(cdp: CDPSession) -> list[str]:
    """The event listeners on window and document, by type (CDP)."""
    found: list[str] = []
    for target in ("window", "document"):
        handle = cdp.send("Runtime.evaluate", {"expression": target})
        listed = cdp.send(
            "DOMDebugger.getEventListeners", {"objectId": handle["result"]["objectId"]}
        )
        found += sorted(f"{target}:{entry['type']}" for entry in listed["listeners"])
    return found


class OpenRequests:
    """The page's requests to ``origin`` that have neither finished nor failed (CDP Network)."""

    def __init__(self, cdp: CDPSession, origin: str) -> None:
        self.open: set[str] = set()
        cdp.send("Network.enable")

        def sent(event: dict[str, Any]) -> None:
            if event["request"]["url"].startswith(origin):
                self.open.add(event["requestId"])

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", lambda event: self.open.discard(event["requestId"]))
        cdp.on("Network.loadingFailed", lambda event: self.open.discard(event["requestId"]))


def test_mount_answers_hears_its_own_chat_and_destroys_cleanly(
    page: Page, host: HostServer, backends: Backends, package: Path
) -> None:
    bot = backends("echo")
    npm_page(page, host, package, '<div id="a" style="height:400px"></div><div id="b"></div>')
    cdp = page.context.new_cdp_session(page)
    before = listeners(cdp)
    page.evaluate(
        f"""async () => {{
        window.heard = {{a: [], b: []}};
        window.a = npm.mount({{server: "{bot.url}/", mode: "inline", target: "#a"}});
        window.b = npm.mount({{server: "{bot.url}", mode: "inline",
                              target: document.getElementById("b")}});
        a.on("message", (m) => heard.a.push(m.role + ":" + m.content));
        b.on("message", (m) => heard.b.push(m.role + ":" + m.content));
        a.send("to a");  // queued until ready
        await Promise.all([a.ready, b.ready]);
    }}"""
    )
    answer = page.locator("#a chatbubble-widget .msg.bot").last
    expect(answer).to_contain_text("You said: to a")
    expect(answer).to_have_attribute("aria-busy", "false")
    page.wait_for_function("() => heard.a.length === 2")
    assert page.evaluate("heard") == {
        "a": ["user:to a", "assistant:You said: **to a** (0 earlier: none)"],
        "b": [],
    }
    # Destroyed: nothing of either chat is left, not even a listener on window or document.
    page.evaluate("() => { a.destroy(); b.destroy(); }")
    assert ours(page) == 0
    assert listeners(cdp) == before
    # A destroyed handle ignores calls; a new mount works.
    page.evaluate(
        f"""async () => {{
        a.send("ignored");
        window.c = npm.mount({{server: "{bot.url}", mode: "inline", target: "#b", theme: "dark"}});
        c.send("again");
        await c.ready;
    }}"""
    )
    expect(page.locator("#b chatbubble-widget .msg.bot").last).to_contain_text("You said: again")
    assert page.locator("#a chatbubble-widget").count() == 0
    page.evaluate("c.destroy()")
    assert ours(page) == 0


def test_destroy_closes_the_stream_and_cancels_before_ready(
    page: Page, host: HostServer, backends: Backends, package: Path
) -> None:
    bot = backends("slow")
    npm_page(page, host, package, '<div id="pane" style="height:400px"></div>')
    cdp = page.context.new_cdp_session(page)
    requests = OpenRequests(cdp, bot.url + "/api/")
    probe_lines = len(bot.probe.read_text().splitlines()) if bot.probe.exists() else 0
    page.evaluate(
        f"""async () => {{
        window.chat = npm.mount({{server: "{bot.url}", mode: "inline", target: "#pane"}});
        chat.send("go on");
        await chat.ready;
    }}"""
    )
    expect(page.locator("#pane chatbubble-widget .msg.bot").last).to_contain_text("word3")
    page.evaluate("chat.destroy()")
    assert ours(page) == 0
    # (each evaluate lets Playwright deliver the CDP events that came meanwhile)
    wait_until(lambda: page.evaluate("0") == 0 and not requests.open, "the stream is closed")
    # The server saw the visitor go: its generator stopped early.
    wait_until(
        lambda: bot.probe.exists() and len(bot.probe.read_text().splitlines()) > probe_lines,
        "the chat function ended",
    )
    assert int(bot.probe.read_text().splitlines()[-1]) < 2400
    # destroy() before the widget came: ready rejects, and nothing is mounted later.
    reason = page.evaluate(
        f"""async () => {{
        const early = npm.mount({{server: "{bot.url}", mode: "inline", target: "#pane"}});
        early.destroy();
        return early.ready.then(() => "ready", (error) => error.name);
    }}"""
    )
    assert reason == "AbortError"
    page.wait_for_load_state("networkidle")
    assert ours(page) == 0


@pytest.fixture(scope="module", name="other_widget")
def _other_widget() -> str:
    done = subprocess.run(
        ["node", "--input-type=module", "-e", OTHER_PROTOCOL],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.mark.parametrize("server", ["newer", "older"])
def test_a_server_of_another_protocol_says_so_once(
    page: Page,
    host: HostServer,
    backends: Backends,
    package: Path,
    other_widget: str,
    server: str,
) -> None:
    bot = backends("echo")
    script = other_widget if server == "newer" else "window.oldWidget = true;"
    page.route(
        f"{bot.url}/widget.js",
        lambda route: route.fulfill(body=script, content_type="text/javascript"),
    )
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    npm_page(page, host, package, '<div id="pane"></div>')
    reason = page.evaluate(
        f"""() => npm.mount({{server: "{bot.url}", mode: "inline", target: "#pane"}})
            .ready.then(() => "ready", (error) => error.message)"""
    )
    said = "speaks protocol 999" if server == "newer" else "is too old"
    assert "chatbubble-widget speaks protocol 1" in reason and said in reason
    expect(page.locator("#pane [role=alert]")).to_have_text(reason)
    assert errors == [reason]
    assert page.locator("chatbubble-widget").count() == 0


# The long timers of the page (a greeting's), while they are pending.
LONG_TIMERS = """(() => {
    const set = window.setTimeout, clear = window.clearTimeout;
    window.longTimers = new Set();
    window.setTimeout = (fn, ms, ...rest) => {
        const id = set((...args) => { longTimers.delete(id); fn(...args); }, ms, ...rest);
        if (ms >= 60000) longTimers.add(id);
        return id;
    };
    window.clearTimeout = (id) => { longTimers.delete(id); clear(id); };
})()"""


def test_mount_as_a_bubble_and_fullscreen(
    page: Page, host: HostServer, backends: Backends, package: Path
) -> None:
    bot = backends("echo")
    page.add_init_script(LONG_TIMERS)
    npm_page(page, host, package, "<p>An app</p>")
    page.evaluate(
        f"""async () => {{
        window.bubble = npm.mount({{server: "{bot.url}", launcherLabel: "Ask us",
                                   greeting: "Hello there", greetingDelay: 600}});
        await bubble.ready;
    }}"""
    )
    page.wait_for_function("() => longTimers.size === 1")  # the greeting, armed
    page.evaluate("bubble.open()")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.evaluate("bubble.close()")
    expect(dialog).to_be_hidden()
    expect(
        page.locator("chatbubble-widget[data-mode=bubble]").get_by_text("Ask us")
    ).to_be_visible()
    page.evaluate("bubble.destroy()")
    assert ours(page) == 0
    assert page.evaluate("longTimers.size") == 0
    page.evaluate(
        f"""async () => {{
        window.full = npm.mount({{server: "{bot.url}", mode: "fullscreen"}});
        await full.ready;
    }}"""
    )
    region = page.locator("chatbubble-widget[data-mode=fullscreen]").get_by_role("region")
    expect(region).to_be_visible()
    assert region.bounding_box() == {"x": 0, "y": 0, **page.viewport_size}  # type: ignore[dict-item]
    page.evaluate("full.destroy()")
    assert ours(page) == 0


def test_a_chat_destroyed_while_its_chunk_loads_does_not_block_the_next(
    page: Page, host: HostServer, backends: Backends, package: Path
) -> None:
    bot = backends("echo")
    held: list[Route] = []
    page.route(f"{bot.url}/widget/panel.js", lambda route: held.append(route))
    npm_page(page, host, package, '<div id="a" style="height:300px"></div><div id="b"></div>')
    page.evaluate(
        f"""async () => {{
        window.a = npm.mount({{server: "{bot.url}", mode: "inline", target: "#a"}});
        await a.ready;
    }}"""
    )
    wait_until(lambda: page.evaluate("0") == 0 and len(held) == 1, "a asks for the panel chunk")
    # b waits for a's load of the chunk (one load per key at a time), and goes meanwhile.
    page.evaluate(
        f"""async () => {{
        const b = npm.mount({{server: "{bot.url}", mode: "inline", target: "#b"}});
        await b.ready;
        b.destroy();
    }}"""
    )
    page.unroute(f"{bot.url}/widget/panel.js")
    held[0].continue_()
    page.evaluate('a.send("one")')
    expect(page.locator("#a .msg.bot strong").last).to_have_text("one")
    page.evaluate(
        f"""async () => {{
        window.c = npm.mount({{server: "{bot.url}", mode: "inline", target: "#b"}});
        await c.ready;
        c.send("two");
    }}"""
    )
    # The chat mounted after renders its answers too: no load of a chat that is gone holds it.
    expect(page.locator("#b .msg.bot strong").last).to_have_text("two")
    page.evaluate("() => { a.destroy(); c.destroy(); }")
    assert ours(page) == 0


# A microphone for the page: the tracks it hands out (a live audio track of an AudioContext).
MICROPHONE = """(() => {
    window.tracks = [];
    navigator.mediaDevices.getUserMedia = async () => {
        const stream = new AudioContext().createMediaStreamDestination().stream;
        tracks.push(...stream.getTracks());
        return stream;
    };
})()"""


def test_destroy_while_recording_turns_the_microphone_off(
    page: Page, host: HostServer, backends: Backends, package: Path
) -> None:
    bot = backends("voice_notes")
    page.add_init_script(MICROPHONE)
    npm_page(page, host, package, '<div id="pane" style="height:400px"></div>')
    page.evaluate(
        f"""async () => {{
        window.chat = npm.mount({{server: "{bot.url}", mode: "inline", target: "#pane"}});
        await chat.ready;
    }}"""
    )
    page.get_by_role("button", name="Record audio").click()
    expect(page.get_by_role("button", name="Stop recording")).to_be_visible()
    assert page.evaluate("tracks.map((track) => track.readyState)") == ["live"]
    page.evaluate("chat.destroy()")
    assert ours(page) == 0
    # The page's microphone is off (the browser's recording indicator goes), the clock stopped.
    page.wait_for_function("() => tracks.every((track) => track.readyState === 'ended')")


def test_a_chat_destroyed_while_its_greeting_loads_leaves_no_timer(
    page: Page, host: HostServer, backends: Backends, package: Path
) -> None:
    bot = backends("echo")
    page.add_init_script(LONG_TIMERS)
    held: list[Route] = []
    page.route(f"{bot.url}/widget/nudges.js", lambda route: held.append(route))
    npm_page(page, host, package, "<p>An app</p>")
    options = f'{{server: "{bot.url}", greeting: "Hello there", greetingDelay: 600}}'
    page.evaluate(f"async () => {{ window.gone = npm.mount({options}); await gone.ready; }}")
    wait_until(lambda: page.evaluate("0") == 0 and len(held) == 1, "the greeting's chunk is asked")
    page.evaluate("gone.destroy()")
    page.unroute(f"{bot.url}/widget/nudges.js")
    held[0].continue_()
    # The next chat's greeting loads after the gone one's chunk ran: one greeting timer, its own.
    page.evaluate(f"async () => {{ window.next = npm.mount({options}); await next.ready; }}")
    page.wait_for_function("() => longTimers.size > 0")
    assert page.evaluate("longTimers.size") == 1
    page.evaluate("next.destroy()")
    assert page.evaluate("longTimers.size") == 0
