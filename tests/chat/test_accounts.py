"""``launch(auth=...)`` in each of Gradio's forms, and the ``auth`` setting."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import backend as gr
from backend.chat.accounts import Accounts
from backend.chat.launching import apply_login


def check(accounts: Accounts, username: str, password: str) -> bool:
    return asyncio.run(accounts.check(username, password))


def test_a_pair_and_a_list_of_pairs() -> None:
    one = Accounts.from_argument(("ann", "pw"))
    assert check(one, "ann", "pw") and not check(one, "ann", "PW")
    assert not check(one, "bob", "pw")
    many = Accounts.from_argument([("ann", "a"), ["bob", "b"]])
    assert check(many, "bob", "b") and check(many, "ann", "a") and not check(many, "ann", "b")
    assert many.required and not Accounts().required


def test_a_sync_function_runs_off_the_event_loop() -> None:
    seen: list[tuple[str, str, bool]] = []

    def allow(username: str, password: str) -> bool:
        seen.append((username, password, threading.current_thread() is threading.main_thread()))
        return password == username[::-1]

    accounts = Accounts.from_argument(allow)
    assert check(accounts, "abc", "cba") and not check(accounts, "abc", "abc")
    assert seen[0] == ("abc", "cba", False)


def test_an_async_function() -> None:
    async def allow(username: str, password: str) -> bool:
        await asyncio.sleep(0)  # an await point, as a real check has: waits for no time
        return (username, password) == ("ann", "pw")

    accounts = Accounts.from_argument(allow)
    assert check(accounts, "ann", "pw") and not check(accounts, "ann", "x")


@pytest.mark.parametrize("bad", ["ann:pw", ("ann",), [("ann", "pw", "x")], [("ann", 1)], 7])
def test_anything_else_is_a_clear_type_error(bad: Any) -> None:
    with pytest.raises(TypeError, match="auth"):
        Accounts.from_argument(bad)


def test_the_setting_takes_username_colon_password() -> None:
    accounts = Accounts.from_setting(["ann:pw", "bob:with:colons"])
    assert check(accounts, "bob", "with:colons") and check(accounts, "ann", "pw")
    with pytest.raises(ValueError, match="username:password"):
        Accounts.from_setting([":pw"])
    merged = Accounts.from_argument(lambda u, p: u == "carl").merged(accounts)
    assert check(merged, "ann", "pw") and check(merged, "carl", "x")
    assert not check(merged, "dan", "pw")


def test_launch_gives_them_to_the_interface() -> None:
    demo = gr.ChatInterface(lambda message, history: message)
    assert not demo.accounts.required and demo.auth_message is None
    apply_login(demo, ("ann", "pw"), "Ask **Ann**")
    assert check(demo.accounts, "ann", "pw") and demo.auth_message == "Ask **Ann**"
    with pytest.raises(TypeError, match="auth_message"):
        apply_login(demo, None, 3)
