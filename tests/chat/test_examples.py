from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import backend as gr
from backend import ChatInterface, Settings, create_app
from backend.chat.examples import ExampleError, normalize_examples
from backend.loader import load_interface
from tests.helpers import answer_text, parse_events

APP = """
import backend as gr

CALLS = []

def yes_man(message, history):
    CALLS.append(message)
    {body}

demo = gr.ChatInterface(
    yes_man,
    type="messages",
    examples=["Hello", "Am I cool?", "Are tomatoes vegetables?"],
    cache_examples=True,
    {extra}
)
"""
YES = 'return "Yes" if message.endswith("?") else "Ask me anything!"'


def app(
    tmp_path: Path, body: str = YES, extra: str = "", name: str = "yes_man.py"
) -> ChatInterface:
    path = tmp_path / name
    path.write_text(APP.format(body=body, extra=extra))
    return load_interface(str(path))


def calls(interface: ChatInterface) -> list[str]:
    return interface.fn.__globals__["CALLS"]  # type: ignore[no-any-return]


async def post(interface: ChatInterface, body: dict[str, object]) -> tuple[int, bytes]:
    quart_app = create_app(interface, Settings(flush_interval=0))
    async with quart_app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        return response.status_code, await response.get_data(as_text=False)


def test_normalize_examples() -> None:
    examples = normalize_examples(["Hi", {"text": "Yo", "files": []}], ["Say hi", None], None)
    assert [(e.text, e.label, e.icon) for e in examples] == [
        ("Hi", "Say hi", None),
        ("Yo", None, None),
    ]


@pytest.mark.parametrize(
    ("examples", "labels", "icons", "message"),
    [
        ("Hi", None, None, "examples must be a list"),
        (["Hi", ""], None, None, "examples\\[1\\] must be a non-empty string"),
        (["Hi"], ["a", "b"], None, "example_labels has 2 items but examples has 1"),
        (["Hi"], None, ["x.png", "y.png"], "example_icons has 2 items"),
        (["Hi"], None, ["icon.exe"], "example_icons\\[0\\] must be an image"),
        ([{"text": "Hi", "files": ["cat.png"]}], None, None, "need multimodal=True"),
        ([["Hi", 0.5]], None, None, "has 2 items; with 0 additional input\\(s\\)"),
        (None, ["a"], None, "need examples"),
    ],
)
def test_bad_examples_fail_at_construction(
    examples: object, labels: object, icons: object, message: str
) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        gr.ChatInterface(
            fn=lambda m, h: m,
            examples=examples,  # type: ignore[arg-type]
            example_labels=labels,  # type: ignore[arg-type]
            example_icons=icons,  # type: ignore[arg-type]
        )


def test_eager_cache_is_computed_once_and_reused_across_restarts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = app(tmp_path)
    cache = first.example_cache
    assert cache is not None and not cache.complete
    cache.fill_now()
    assert calls(first) == ["Hello", "Am I cool?", "Are tomatoes vegetables?"]
    assert "Caching examples [" in capsys.readouterr().err
    assert cache.path.parent == tmp_path / ".chatbubble" / "cached_examples"
    # a restart: the same app loaded again finds every answer on disk
    again = app(tmp_path)
    assert again.example_cache is not None and again.example_cache.complete
    assert again.example_cache.get(1) == "Yes" and calls(again) == []
    # a changed function starts a fresh cache
    changed = app(tmp_path, body='return "No"')
    assert changed.example_cache is not None and not changed.example_cache.complete


async def test_cached_example_streams_at_once_without_calling_fn(tmp_path: Path) -> None:
    interface = app(tmp_path)
    assert interface.example_cache is not None
    with ThreadPoolExecutor(1) as pool:
        await interface.example_cache.fill(pool)
    calls(interface).clear()
    status, data = await post(interface, {"message": "Am I cool?", "example": 1})
    events = parse_events(data)
    assert status == 200 and answer_text(events) == "Yes" and events[-1].event == "done"
    assert calls(interface) == []
    # the same text typed by the visitor is a normal message
    status, data = await post(interface, {"message": "Am I cool?"})
    assert answer_text(parse_events(data)) == "Yes" and calls(interface) == ["Am I cool?"]


async def test_lazy_cache_fills_on_first_click(tmp_path: Path) -> None:
    interface = app(tmp_path, extra='cache_mode="lazy",')
    cache = interface.example_cache
    assert cache is not None and cache.get(0) is None
    for _ in range(2):
        status, data = await post(interface, {"message": "Hello", "example": 0})
        assert status == 200 and answer_text(parse_events(data)) == "Ask me anything!"
    assert calls(interface) == ["Hello"] and cache.get(0) == "Ask me anything!"
    assert json.loads(cache.path.read_text())["answers"] == {"0": "Ask me anything!"}


async def test_a_cut_answer_is_not_cached(tmp_path: Path) -> None:
    interface = app(tmp_path, body='return "y" * 500', extra='cache_mode="lazy",')
    quart_app = create_app(interface, Settings(flush_interval=0, max_answer_chars=100))
    async with quart_app.test_app() as test_app:
        for _ in range(2):
            response = await test_app.test_client().post(
                "/api/chat",
                data=json.dumps({"message": "Hello", "example": 0}),
                headers={"Content-Type": "application/json"},
            )
            events = parse_events(await response.get_data(as_text=False))
            assert events[-1].data.get("truncated") is True  # each time: run, not replayed
    assert calls(interface) == ["Hello", "Hello"]
    assert interface.example_cache is not None and interface.example_cache.get(0) is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"message": "Hello", "example": 5}, "does not name this example"),
        ({"message": "Hi there", "example": 0}, "does not name this example"),
        ({"message": "Hello", "example": "0"}, "index of an example"),
        ({"message": "Hello", "example": True}, "index of an example"),
        (
            {"message": "Hello", "example": 0, "history": [{"role": "user", "content": "x"}]},
            "history must be empty",
        ),
    ],
)
async def test_forged_example_requests_are_refused(
    tmp_path: Path, body: dict[str, object], message: str
) -> None:
    interface = app(tmp_path, extra='cache_mode="lazy",')
    status, data = await post(interface, body)
    assert status == 422 and message in json.loads(data)["error"]
    assert calls(interface) == []


def test_a_failing_example_fails_startup_naming_it(tmp_path: Path) -> None:
    body = 'if message == "Am I cool?":\n        raise ValueError("nope")\n    return "ok"'
    interface = app(tmp_path, body=body)
    assert interface.example_cache is not None
    with pytest.raises(ExampleError, match="caching example 1 \\('Am I cool\\?'\\) failed: "):
        interface.example_cache.fill_now()


def test_backend_serve_refuses_to_start_on_a_failing_example(tmp_path: Path) -> None:
    import subprocess
    import sys

    body = 'raise ValueError("broken model")'
    (tmp_path / "bad.py").write_text(APP.format(body=body, extra=""))
    result = subprocess.run(
        [sys.executable, "-m", "backend", "serve", str(tmp_path / "bad.py"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "backend: error: caching example 0 ('Hello') failed: ValueError: broken model" in (
        result.stderr
    )


def test_short_examples_are_padded_with_the_inputs_defaults() -> None:
    def fn(message: str, history: list[dict[str, str]], n: float, system: str) -> str:
        return f"{message} {n} {system}"

    demo = gr.ChatInterface(
        fn,
        additional_inputs=[gr.Slider(0, 10, value=3), gr.Textbox("Be brief")],
        examples=[["hi"], ["yo", 5], ["full", 7, "Pirate"]],
    )
    assert [example.inputs for example in demo.examples] == [
        (3, "Be brief"), (5, "Be brief"), (7, "Pirate"),
    ]  # fmt: skip
    plain = gr.ChatInterface(lambda m, h: m, examples=[["Hello"], ["Hi"]])  # no inputs
    assert [(e.text, e.inputs) for e in plain.examples] == [("Hello", None), ("Hi", None)]
    with pytest.raises(ValueError, match=r"examples\[0\] has 4 items.*up to 2 value"):
        gr.ChatInterface(
            fn, additional_inputs=[gr.Slider(), gr.Textbox()], examples=[[1, 2, 3, 4]]
        )


def test_a_padded_example_is_cached_with_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "padded.py"
    path.write_text(
        "import backend as gr\n"
        "def fn(message, history, n, system):\n"
        "    return f'{message} {n} {system}'\n"
        "demo = gr.ChatInterface(fn, examples=[['hi']], cache_examples=True,\n"
        "    additional_inputs=[gr.Slider(0, 10, value=3), gr.Textbox('Be brief')])\n"
    )
    demo = load_interface(str(path))
    assert demo.example_cache is not None
    demo.example_cache.fill_now()
    assert demo.example_cache.get(0) == "hi 3 Be brief"
