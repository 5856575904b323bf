"""How fast the widget renders in Chromium: the figures the browser tests no longer assert.

On a busy machine a wall-clock bound in a test fails at random, so tests/e2e checks what the
widget renders (the whole long answer, as markdown; pathological markdown shown as plain text)
and this script prints how long it takes, on an otherwise idle machine:

- a long answer (tests/e2e/apps/fast.py: 2,000 tokens streamed with no delay at all): the
  milliseconds from the last byte of the stream reaching the page to the last word rendered,
  median of a few runs; the baseline is the same figure for a short answer
  (tests/e2e/apps/echo.py), in the same run. Target: under 1,000 ms.
- pathological markdown (tests/e2e/apps/pathological.py, "*a" repeated): the page's longest
  main-thread task while the answer streams, at two sizes (the lowest of a few runs each,
  alternated), and their ratio: work growing linearly with the input makes it about 4 for four
  times the input, quadratic work (parsing it as markdown) 16. Target: under 8.

Starts `backend serve` for each app on a free 127.0.0.1 port, serves the host page from
http://localhost:<another port> (a different origin, as a real site is) and drives
/usr/bin/chromium through Playwright. Nothing leaves 127.0.0.1; what the servers write goes to a
temporary directory, removed at the end.

Usage (after `make build`): python benchmarks/widget_timing.py [--runs N]
"""

from __future__ import annotations

import argparse
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.apps.fast import TOKENS  # noqa: E402
from tests.e2e.apps.pathological import PAIRS  # noqa: E402
from tests.e2e.conftest import APPS, BUNDLE, CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import running_server  # noqa: E402

# Playwright's waits: long enough for a slow machine (they catch a hang, they measure nothing).
WAIT_MS = 120_000

# Wraps fetch to note when the last byte of the chat stream reached the page.
LAST_BYTE = """
window.__lastByteAt = 0;
const realFetch = window.fetch;
window.fetch = async (...args) => {
  const response = await realFetch(...args);
  if (!String(args[0]).endsWith("/api/chat") || !response.body) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream({
    async pull(controller) {
      const chunk = await reader.read();
      if (chunk.done) { controller.close(); return; }
      window.__lastByteAt = performance.now();
      controller.enqueue(chunk.value);
    },
    cancel(reason) { return reader.cancel(reason); },
  });
  return new Response(body, {status: response.status, headers: response.headers});
};
"""

# Notes when the newest answer first shows `last` (its last word).
WATCH_RENDER = """(last) => {
    const root = document.querySelector("chatbubble-widget").shadowRoot;
    window.__renderedAt = 0;
    new MutationObserver(() => {
        const answers = root.querySelectorAll(".msg.bot .md");
        const text = answers.length ? answers[answers.length - 1].textContent : "";
        if (!window.__renderedAt && text.includes(last)) window.__renderedAt = performance.now();
    }).observe(root, {subtree: true, childList: true, characterData: true});
}"""

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({type: "longtask", buffered: true});
"""


@contextmanager
def host_pages(backends: dict[str, str]) -> Iterator[dict[str, str]]:
    """Serves, from http://localhost:<port>, one page per backend embedding its widget (as
    tests/e2e/conftest.py's host pages do); yields each page's URL by app name."""
    pages = {
        f"/{name}.html": (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>Host page</title><script src="{url}/widget.js" async></script>'
            "</head><body><h1>A website</h1><p>Some content.</p></body></html>"
        ).encode()
        for name, url in backends.items()
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield {name: f"http://localhost:{port}/{name}.html" for name in backends}
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def opened(browser: Browser, url: str, init_script: str) -> Page:
    """A fresh page on ``url`` with the chat panel open (the launcher is in the widget's shadow
    root, which Playwright's role locators see into)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(init_script)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Open chat").click()
    expect(page.get_by_role("dialog")).to_be_visible(timeout=WAIT_MS)
    return page


def send_and_finish(page: Page, message: str) -> None:
    box = page.get_by_role("textbox", name="Message")
    box.fill(message)
    box.press("Enter")
    answer = page.locator(".msg.bot").last
    expect(answer).to_have_attribute("aria-busy", "false", timeout=WAIT_MS)


def last_byte_to_render(browser: Browser, url: str, last_word: str) -> float:
    """Milliseconds from the stream's last byte reaching the page to ``last_word`` rendered."""
    page = opened(browser, url, LAST_BYTE)
    try:
        page.evaluate(WATCH_RENDER, last_word)
        send_and_finish(page, "go")
        expect(page.locator(".msg.bot").last).to_contain_text(last_word, timeout=WAIT_MS)
        rendered, last_byte = page.evaluate("[window.__renderedAt, window.__lastByteAt]")
        assert rendered > 0 and last_byte > 0, (rendered, last_byte)
        return max(float(rendered) - float(last_byte), 0.0)
    finally:
        page.context.close()


def longest_task(page: Page, pairs: int) -> float:
    """The page's longest task in ms while the pathological answer of ``pairs`` streams (0 when
    there was no task of 50 ms or more, the shortest a browser reports)."""
    page.evaluate("window.__longTasks = []")
    send_and_finish(page, str(pairs))
    return max((float(t) for t in page.evaluate("window.__longTasks")), default=0.0)


def shown(ms: float) -> str:
    return f"{ms:8.0f} ms" if ms else "   <50 ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    args = parser.parse_args()
    if not BUNDLE.is_file():
        sys.exit(f"{BUNDLE} is missing: run `make build` first")
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (make system)")
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="widget-timing-") as temp:
        base = Path(temp)
        urls: dict[str, str] = {}
        with (
            running_server(
                str(APPS / "fast.py"), "--log-level", "warning", env={"TMPDIR": temp},
                log=base / "fast.log",
            ) as urls["fast"],
            running_server(
                str(APPS / "echo.py"), "--log-level", "warning", env={"TMPDIR": temp},
                log=base / "echo.log",
            ) as urls["echo"],
            running_server(
                str(APPS / "pathological.py"), "--log-level", "warning", env={"TMPDIR": temp},
                log=base / "pathological.log",
            ) as urls["pathological"],
            host_pages(urls) as pages,
            sync_playwright() as playwright,
        ):  # fmt: skip
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                last_byte_to_render(browser, pages["fast"], f"word{TOKENS - 1}")  # warm-up
                long = [
                    last_byte_to_render(browser, pages["fast"], f"word{TOKENS - 1}")
                    for _ in range(args.runs)
                ]
                short = [
                    last_byte_to_render(browser, pages["echo"], "earlier: none)")
                    for _ in range(args.runs)
                ]
                page = opened(browser, pages["pathological"], LONG_TASKS)
                small: list[float] = []
                large: list[float] = []
                for _ in range(args.runs):
                    small.append(longest_task(page, PAIRS // 4))
                    large.append(longest_task(page, PAIRS))
                page.context.close()
            finally:
                browser.close()
    load_after = os.getloadavg()[0]
    cpus = os.cpu_count() or 1

    seconds = time.monotonic() - started
    print(f"Chromium ({CHROMIUM}), {args.runs} runs per figure, {seconds:.0f} s")
    print()
    print("Last byte of the stream to the last word rendered (median; target < 1000 ms):")
    long_median, short_median = statistics.median(long), statistics.median(short)
    for label, median, runs in (
        (f"long answer, {TOKENS} tokens, no delay:", long_median, long),
        ("baseline, a short answer (echo):", short_median, short),
    ):
        print(f"  {label:<38} {median:7.0f} ms   runs {fmt(runs)}")
    print(f"  ratio long / short: {long_median / max(short_median, 1.0):.1f}x")
    print()
    print("Pathological markdown: the page's longest main-thread task (lowest of the runs):")
    low_small, low_large = min(small), min(large)
    print(f"  {PAIRS // 4:>6} pairs of '*a': {shown(low_small)}   runs {fmt(small)}")
    print(f"  {PAIRS:>6} pairs of '*a': {shown(low_large)}   runs {fmt(large)}")
    ratio = low_large / max(low_small, 50.0)
    print(
        f"  ratio for 4x the input: {ratio:.1f}x (linear work: about 4x, quadratic: 16x; "
        "target < 8x; a task under 50 ms counts as 50)"
    )
    if max(load_before, load_after) > cpus / 2:
        print("\nwarning: the machine was busy with other work; figures are skewed by it.")


def fmt(values: list[float]) -> str:
    return ", ".join(f"{value:.0f}" for value in values)


if __name__ == "__main__":
    main()
