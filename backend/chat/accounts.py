"""Who may log in: Gradio's ``launch(auth=...)`` argument, checked.

Gradio takes a ``(username, password)`` pair, a list of pairs, or a function
``(username, password) -> bool`` (sync or async). The server's ``auth`` setting adds
``username:password`` pairs (``backend serve --auth ann:secret``). This module has no HTTP in it:
the routes (``http/login_routes.py``) ask :meth:`Accounts.check`.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

Checker = Callable[[str, str], "bool | Awaitable[bool]"]


class Accounts:
    """Usernames with their passwords, and/or a function that decides."""

    def __init__(self, passwords: Mapping[str, str] | None = None, checker: Checker | None = None):
        self.passwords = dict(passwords or {})
        self.checker = checker

    @property
    def required(self) -> bool:
        return bool(self.passwords) or self.checker is not None

    @classmethod
    def from_argument(cls, auth: Any) -> Accounts:
        """``launch(auth=...)`` as Gradio takes it; anything else is a clear ``TypeError``."""
        if auth is None:
            return cls()
        if callable(auth):
            return cls(checker=auth)
        if _is_pair(auth):
            return cls(dict([_pair(auth)]))
        if isinstance(auth, Iterable) and not isinstance(auth, (str, bytes, Mapping)):
            return cls(dict(_pair(item) for item in auth))
        raise TypeError(
            "auth must be a (username, password) pair, a list of pairs or a function "
            f"(username, password) -> bool, not {auth!r}"
        )

    @classmethod
    def from_setting(cls, pairs: Iterable[str]) -> Accounts:
        """The ``auth`` setting: ``username:password`` strings (the first ``:`` splits)."""
        passwords = {}
        for item in pairs:
            username, colon, password = item.partition(":")
            if not colon or not username.strip():
                raise ValueError(f"auth: {item!r} is not username:password")
            passwords[username.strip()] = password
        return cls(passwords)

    def merged(self, other: Accounts) -> Accounts:
        """Both sets of passwords; this one's function, else the other's."""
        return Accounts({**other.passwords, **self.passwords}, self.checker or other.checker)

    async def check(self, username: str, password: str) -> bool:
        """Whether ``username`` may log in with ``password`` (a synchronous function runs in a
        thread, so a slow check never stalls other visitors)."""
        known = self.passwords.get(username)
        # Compared even for an unknown name, so the time taken does not tell names apart.
        same = hmac.compare_digest(password.encode(), (known or "\0").encode())
        if known is not None and same:
            return True
        if self.checker is None:
            return False
        if inspect.iscoroutinefunction(self.checker):
            result: Any = await self.checker(username, password)
        else:
            result = await asyncio.to_thread(self.checker, username, password)
            if inspect.isawaitable(result):
                result = await result
        return bool(result)


def _is_pair(value: Any) -> bool:
    return (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(item, str) for item in value)
    )


def _pair(value: Any) -> tuple[str, str]:
    if not _is_pair(value):
        raise TypeError(f"auth: each account must be a (username, password) pair, not {value!r}")
    return str(value[0]), str(value[1])
