from __future__ import annotations

from backend.stream import delta


def test_delta() -> None:
    assert delta("", "") is None
    assert delta("Hel", "Hel") is None
    assert delta("", "Hi") == {"append": "Hi"}
    assert delta("Hel", "Hello") == {"append": "lo"}
    assert delta("Hello", "Help") == {"replace": "Help"}
    assert delta("Hello", "") == {"replace": ""}
    assert delta("😀", "😀👍") == {"append": "👍"}
