"""``gr.I18n`` in Chromium: a French visitor (its locale sends ``Accept-Language: fr-FR``, a
CORS-safelisted header, on the widget's cross-origin ``/api/config``) sees the app's title,
description, placeholder and examples in French, and a clicked example sends the French text;
an English one sees English."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import Backend, HostServer
from .helpers import catalog, chat_posts, finished_answer, open_chat

Backends = Callable[..., Backend]
pytestmark = pytest.mark.e2e

TEXTS = {
    "fr-FR": (
        "Assistance",
        "Posez-nous vos questions sur votre commande",
        "Tapez votre question",
        ["Où est ma commande ?", "Comment être remboursé ?"],
    ),
    "en-US": (
        "Support",
        "Ask us about your order",
        "Type your question",
        ["Where is my order?", "How do I get a refund?"],
    ),
}


@pytest.mark.parametrize("locale", ["fr-FR", "en-US"])
def test_the_visitor_sees_the_app_in_its_language(
    new_page: Callable[..., Page], host: HostServer, backends: Backends, locale: str
) -> None:
    title, description, placeholder, examples = TEXTS[locale]
    page = new_page(locale=locale)
    posts = chat_posts(page)
    page.goto(host.add(backends("i18n_support").url))
    words = catalog(locale[:2])  # the widget's own words follow the browser too
    dialog = open_chat(page, words)
    expect(dialog.locator(".header .title")).to_have_text(title)
    expect(dialog.locator(".header")).to_contain_text(description)
    box = page.get_by_role("textbox", name=words["composer_message"])
    expect(box).to_have_attribute("placeholder", placeholder)
    expect(dialog.locator(".example")).to_have_text(examples)
    assert "__i18n__" not in dialog.inner_text()

    page.get_by_role("button", name=examples[0]).click()
    expect(finished_answer(page).locator(".md")).to_have_text(f"You asked: {examples[0]}")
    sent = json.loads(posts[0].post_data or "")
    assert (sent["message"], sent["example"]) == (examples[0], 0)


@pytest.mark.parametrize("locale", ["fr-FR", "en-US"])
def test_the_full_page_is_in_the_visitors_language(
    new_page: Callable[..., Page], backends: Backends, locale: str
) -> None:
    title, _, placeholder, examples = TEXTS[locale]
    page = new_page(locale=locale)
    page.goto(backends("i18n_support").url + "/")
    expect(page).to_have_title(title)
    assert page.locator("html").get_attribute("lang") == locale[:2]
    words = catalog(locale[:2])
    expect(page.get_by_role("textbox", name=words["composer_message"])).to_have_attribute(
        "placeholder", placeholder
    )
    expect(page.locator("#chat .example")).to_have_text(examples)
