"""``gr.OAuthProfile`` and ``gr.OAuthToken``: what a function annotated with them gets when a
visitor logged in with Hugging Face. A chat bubble has no such login, so they get ``None``, as
Gradio passes when nobody is logged in; ``chat/request.py`` finds the parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class OAuthProfile(dict[str, Any]):
    """The logged-in visitor's Hugging Face profile (never given here: ``None``).

    Example::

        def answer(message, history, profile: gr.OAuthProfile | None):
            return f"Hello {profile.name}" if profile else "Hello stranger"
    """

    @property
    def name(self) -> str | None:
        return self.get("name")

    @property
    def username(self) -> str | None:
        return self.get("preferred_username")

    @property
    def profile(self) -> str | None:
        return self.get("profile")

    @property
    def picture(self) -> str | None:
        return self.get("picture")


@dataclass(frozen=True)
class OAuthToken:
    """The logged-in visitor's Hugging Face token (never given here: ``None``)."""

    token: str
    scope: str = ""
    expires_at: int = 0
