"""The tool's description from the chat function (backend/http/mcp/tool.py)."""

from __future__ import annotations

from typing import Any

from backend.http.mcp.tool import arg_descriptions, tool_name


def documented(message: str, history: list[Any], tone: str, length: int) -> str:
    """Answers in a tone.

    Longer text that is not the summary.

    Args:
        message (str): what the user asks
        history: the conversation
        tone: how to sound, one of
            friendly or dry
    Returns:
        the answer
    """
    return message


def test_args_lines_describe_the_parameters() -> None:
    assert arg_descriptions(documented) == {
        "message": "what the user asks",
        "history": "the conversation",
        "tone": "how to sound, one of friendly or dry",
    }
    assert arg_descriptions(lambda m, h: m) == {}


def test_the_name_keeps_letters_and_digits_only() -> None:
    assert tool_name(documented) == "documented"
    assert tool_name(lambda m, h: m) == "_lambda_"
