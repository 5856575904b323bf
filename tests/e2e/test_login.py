"""The widget on a host page of another origin, for an app with ``launch(auth=...)``: the login
form with the app's ``auth_message`` (markdown) takes the panel, a wrong password says so, the
right one opens the chat (the function sees the username), and a reload stays logged in (the
token is kept in localStorage and sent as a bearer token, no cookie involved)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send


def test_log_in_then_chat_and_stay_logged_in(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("login_echo", "--secret", "e2e login secret")
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    form = dialog.get_by_role("form", name="Log in")
    expect(form).to_be_visible()
    expect(form.locator("strong")).to_have_text("Ann")  # the auth_message, as markdown
    expect(form).to_contain_text("Ask Ann for an account.")
    expect(page.get_by_role("textbox", name="Message")).to_be_hidden()

    form.get_by_label("Username").fill("ann")
    form.get_by_label("Password").fill("wrong")
    form.get_by_role("button", name="Log in").click()
    expect(form.get_by_role("alert")).to_have_text("Incorrect username or password.")

    form.get_by_label("Password").fill("open sesame")
    form.get_by_role("button", name="Log in").click()
    expect(form).to_be_hidden()
    send(page, "hello")
    expect(finished_answer(page)).to_contain_text("ann said hello")
    posts = []
    page.on("request", lambda r: posts.append(r) if r.url.endswith("/api/chat") else None)

    page.reload()
    # Open when the page left, so open again by itself once the config is here.
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("textbox", name="Message")).to_be_visible()
    expect(dialog.get_by_role("form", name="Log in")).to_have_count(0)
    send(page, "again")
    expect(page.locator(".msg.bot").nth(1)).to_contain_text("ann said again")
    sent = [r for r in posts if r.method == "POST"]
    assert sent and sent[-1].headers["authorization"].startswith("Bearer ")
    assert "cookie" not in sent[-1].headers


def test_a_token_the_server_refuses_brings_the_form_back(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("login_echo", "--secret", "e2e login secret")
    page.goto(host.add(bot.url))
    form = open_chat(page).get_by_role("form", name="Log in")
    form.get_by_label("Username").fill("ann")
    form.get_by_label("Password").fill("open sesame")
    form.get_by_role("button", name="Log in").click()
    expect(form).to_be_hidden()
    # A kept token signed with another secret (or for a password since changed), not expired.
    forged = page.evaluate(
        """() => {
            const key = Object.keys(localStorage).find((k) => k.endsWith(":login"));
            localStorage.setItem(key, "YW5u.9999999999.forged");
            return key;
        }"""
    )
    assert forged.startswith("chatbubble:" + bot.url)
    page.reload()
    # The panel was open when the page left: it opens again by itself once the config is here
    # (deciding by a glance at is_visible() raced that on a busy machine).
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    send(page, "hello")
    expect(page.locator(".msg.bot").last).to_contain_text("Please log in to use this chat.")
    expect(dialog.get_by_role("form", name="Log in")).to_be_visible()
    assert page.evaluate("(key) => localStorage.getItem(key)", forged) is None
