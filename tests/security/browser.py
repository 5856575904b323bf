"""Chromium for the XSS suite: traps for dialogs, every non-loopback request blocked and
recorded, and a DOM check for what the sanitizer must never let through (ATTACKS.md §7, G-8)."""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

from tests.security.harness import FIGURES
from tests.waiting import LIVENESS

# Every wait for the page is for a condition; LIVENESS only catches a hang (a busy machine may
# take far longer than Playwright's 5 s default).
expect.set_options(timeout=LIVENESS * 1000)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

TRAPS = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__xss.push(name + ":" + String(args[0])); };
}
"""

# The sanitizer has two engines (widget/src/markdown.ts): the browser's HTML Sanitizer API where
# it has one (this Chromium), DOMPurify (the purify chunk) elsewhere. ENGINES[name] is the init
# script that gives the page the one named: "purify" takes the API away before the widget loads.
ENGINES = {
    "native": "",
    "purify": "delete Document.parseHTML; delete Element.prototype.setHTML; "
    "delete window.Sanitizer;",
}

# Returns what must not be in the widget: elements that load or run things, event handler
# attributes, script URLs; stricter inside sanitized content (`.md`, `.html`, `.placeholder`).
CHECK = """(origin) => {
  const bad = [];
  const host = document.querySelector("chatbubble-widget");
  if (!host || !host.shadowRoot) return ["no widget"];
  const root = host.shadowRoot;
  const always = new Set(["IFRAME", "OBJECT", "EMBED", "BASE", "META", "LINK", "FORM", "FRAME",
    "FRAMESET", "APPLET", "PORTAL", "PARAM"]);
  const content = new Set(["SCRIPT", "STYLE", "SVG", "MATH", "TEMPLATE", "NOSCRIPT", "VIDEO",
    "AUDIO", "SOURCE", "DETAILS", "MARQUEE", "BUTTON", "SELECT", "TEXTAREA", "ANIMATE", "SET",
    "INPUT", "IMG"]);
  const strictAttrs = ["style", "id", "name", "srcdoc", "action", "formaction", "xlink:href",
    "srcset", "background", "form"];
  const CHROME = ".chip, .tile, .zoom, .gallery, .player, .files, .sent, .viewer, .actions, "
    + ".error";
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "poster", "data",
    "background", "srcset", "cite"];
  for (const node of root.querySelectorAll("*")) {
    const tag = node.tagName.toUpperCase();
    // Sanitized content; the widget's own media controls inside it (file chips, image tiles,
    // players, galleries) are its chrome, checked by the rules that apply everywhere.
    const sanitized = node.closest(".md, .html, .desc, .placeholder")
      && !node.closest(CHROME);
    if (always.has(tag)) bad.push("element " + tag);
    // KaTeX's output (the math policy: only its own markup reaches a .katex, a class the
    // markdown policy never lets through): MathML, SVG paths and inline lengths and colours.
    const katex = sanitized && node.closest(".katex, .katex-error");
    if (sanitized && content.has(tag) && !(katex && (tag === "MATH" || tag === "SVG"))) {
      // Images only from the backend's own origin (or raster data: URLs): the widget's policy.
      const src = node.getAttribute("src") || "";
      const okImg = tag === "IMG" && (src === "" || src.startsWith(origin + "/")
        || /^data:image\\/(png|jpeg|gif|webp)[;,]/i.test(src));
      const okBox = tag === "INPUT" && node.type === "checkbox" && node.disabled;
      if (!okImg && !okBox) bad.push("sanitized " + tag + " " + node.outerHTML.slice(0, 160));
    }
    if (tag === "SCRIPT" && !(node.getAttribute("src") || "").startsWith(origin + "/widget/")) {
      bad.push("script " + node.getAttribute("src"));
    }
    for (const attr of node.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value
        .replace(/[\\u0000-\\u0020\\u007f-\\u00a0\\u200b-\\u200f\\ufeff]/g, "")
        .toLowerCase();
      if (name.startsWith("on")) bad.push(tag + " @" + name);
      const mathStyle = katex && name === "style"
        && !/url|expression|image|fixed|absolute|sticky|inset|z-index|content/i.test(value);
      if (sanitized && strictAttrs.includes(name) && !mathStyle) bad.push(tag + " @" + name);
      if (urlAttrs.includes(name)) {
        if (/^(javascript|vbscript|livescript|file|data:text|data:application|data:image\\/svg)/
            .test(value)) bad.push(tag + " " + name + "=" + attr.value);
        if (name === "src" && !(attr.value.startsWith(origin + "/")
            || /^data:image\\/(png|jpeg|gif|webp)[;,]/i.test(attr.value)
            || attr.value.startsWith("blob:"))) bad.push("src " + attr.value);
        if (name === "href" && !(/^(https?:|mailto:)/i.test(attr.value)
            || attr.value.startsWith("#"))) bad.push("href " + attr.value);
      }
    }
    if (tag === "A" && /^https?:/i.test(node.getAttribute("href") || "")
        && !(node.getAttribute("href") || "").startsWith(origin + "/")) {
      const rel = (node.getAttribute("rel") || "").split(/\\s+/);
      if (!rel.includes("noopener") || !rel.includes("noreferrer")) bad.push("rel " + rel);
    }
  }
  for (const node of document.querySelectorAll("head *, body *")) {
    const tag = node.tagName.toUpperCase();
    if (["IMG", "IFRAME", "OBJECT", "EMBED", "BASE", "FORM", "LINK", "STYLE"].includes(tag)) {
      bad.push("page " + tag);
    }
    if (tag === "SCRIPT" && !node.src.startsWith(origin + "/widget")) bad.push("page SCRIPT");
    if (tag === "META" && node.httpEquiv) bad.push("page META http-equiv");
  }
  return bad;
}"""

# Fires what handlers wait for on every node of the widget (never a click: links may leave).
POKE = """() => {
  const root = document.querySelector("chatbubble-widget").shadowRoot;
  for (const node of root.querySelectorAll("*")) {
    for (const type of ["mouseover", "mouseenter", "focus", "focusin", "load", "error",
        "toggle", "animationstart", "animationend", "transitionend", "pointerover"]) {
      node.dispatchEvent(new Event(type));
    }
  }
}"""

# One turn of the page's event loop, a frame included: whatever POKE's handlers (which ran
# inside dispatchEvent) queued, promise jobs, zero-delay timers and a frame's callbacks, has
# run once this resolves.
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"


@dataclass
class Host:
    """Serves pages that embed a backend's widget, from another origin (localhost)."""

    port: int = 0
    pages: dict[str, str] = field(default_factory=dict)

    def add(self, backend: str) -> str:
        path = f"/page{len(self.pages)}.html"
        self.pages[path] = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
            f'<script src="{backend}/widget.js" async></script></head>'
            "<body><h1>A website</h1><p>Content.</p></body></html>"
        )
        return f"http://localhost:{self.port}{path}"


@pytest.fixture(scope="module", name="host")
def _host() -> Iterator[Host]:
    state = Host()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            page = state.pages.get(self.path)
            body = (page or "not found").encode()
            self.send_response(200 if page else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module", name="browser")
def _browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make system)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Visit:
    """One page embedding the widget of ``origin``, with the traps and the request guard."""

    def __init__(
        self, browser: Browser, origin: str, init: str = "", engine: str = "native"
    ) -> None:
        self.origin = origin
        self.context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(LIVENESS * 1000)
        self.context.add_init_script(TRAPS + ENGINES[engine] + init)
        self.blocked: list[str] = []
        self.requested: list[str] = []  # every URL the page asked for (loopback or not)
        self.errors: list[str] = []
        self.context.route("**/*", self._guard)
        self.page: Page = self.context.new_page()
        self.server_errors: list[str] = []
        self.page.on(
            "response",
            lambda r: (
                self.server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.text.startswith("chatbubble:") else None,
        )

    def _guard(self, route: Route) -> None:
        self.requested.append(route.request.url)
        host = urlsplit(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def problems(self, *, record: bool = True) -> list[str]:
        """Everything G-8 forbids, after poking every node (``record``: count it in the
        suite's figures)."""
        page = self.page
        page.evaluate(POKE)
        page.evaluate(SETTLE)
        fired = page.evaluate("window.__xss")
        bad: list[str] = list(page.evaluate(CHECK, self.origin))
        if record:
            FIGURES.xss_checks += 1
            FIGURES.xss_fired.extend(f"{FIGURES.current}: {item}" for item in fired)
            for error in self.server_errors:
                FIGURES.issue("5xx", f"browser: {error}")
        bad += [f"server error {error}" for error in self.server_errors]
        self.server_errors.clear()
        bad += [f"dialog {item}" for item in fired]
        bad += [f"request {url}" for url in self.blocked]
        if not page.url.startswith("http://localhost:"):
            bad.append(f"navigated to {page.url}")
        page.evaluate("window.__xss.length = 0")
        self.blocked.clear()
        return sorted(set(bad))

    def close(self) -> None:
        self.context.close()


def storage_value(value: Any) -> str:
    return json.dumps(json.dumps(value))
