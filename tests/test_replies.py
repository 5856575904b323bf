from __future__ import annotations

from typing import Any

import pytest

from backend.replies import ReplyError, reply_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Paris", "Paris"),
        ("  indented\n\tkept exactly  ", "  indented\n\tkept exactly  "),  # no cleandoc rewriting
        (None, ""),
        (42, "42"),
        (1.5, "1.5"),
        ({"role": "assistant", "content": "hi"}, "hi"),
        ({"content": "no role"}, "no role"),
    ],
)
def test_supported_values(value: Any, text: str) -> None:
    assert reply_text(value) == text


@pytest.mark.parametrize(
    "value", [object(), b"bytes", True, ["a", "b"], {"role": "user", "content": "x"}, {"x": 1}]
)
def test_other_values_name_the_problem(value: Any) -> None:
    with pytest.raises(ReplyError):
        reply_text(value)
