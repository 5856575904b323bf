"""The real ``gradio_client`` against a real ``backend serve``: predict (sync and async
functions), streamed partials in order, view_api by api_name and by the function's name,
additional inputs passed positionally, ``gr.Error`` raised on the client with its message,
history kept per client session, ``handle_file`` uploads, and ``job.cancel()`` closing the
generator (its ``finally`` runs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from tests.servers import running_server
from tests.waiting import complete_lines, wait_until

APPS = Path(__file__).resolve().parents[2] / "apps"


@pytest.fixture(name="probe", scope="module")
def _probe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gradio") / "probe.jsonl"


@pytest.fixture(name="bubble", scope="module")
def _bubble(probe: Path) -> Iterator[str]:
    with running_server(str(APPS / "gradio_chat.py"), env={"PROBE_FILE": str(probe)}) as base:
        yield base


def connect(base: str) -> Client:
    return Client(base, verbose=False, analytics_enabled=False)


def test_predict_with_additional_inputs_in_order(bubble: str) -> None:
    client = connect(bubble)
    answer = client.predict("hello", 0.2, "terse", api_name="/chat")
    assert answer == "hello | 0 | 0.2 | terse | w0 w1 w2 w3"
    # Left out, the additional inputs take their defaults.
    assert client.predict("hi", api_name="/chat").startswith("hi | 2 | 0.5 | be brief |")
    client.close()


def test_history_is_kept_per_client_session(bubble: str) -> None:
    first, second = connect(bubble), connect(bubble)
    assert first.predict("one", api_name="/chat").startswith("one | 0 |")
    assert first.predict("two", api_name="/chat").startswith("two | 2 |")
    assert second.predict("other", api_name="/chat").startswith("other | 0 |")
    assert first.predict("three", api_name="/chat").startswith("three | 4 |")
    first.close()
    second.close()


def test_the_function_reads_contents_as_strings_and_as_parts(bubble: str, probe: Path) -> None:
    client = connect(bubble)
    client.predict("remember me", api_name="/chat")
    client.predict("what did I say", api_name="/chat")
    line = wait_until(
        lambda: next(
            (json.loads(x) for x in complete_lines(probe) if '"what did I say"' in x), None
        ),
        "the second call's record",
    )
    assert line["history"] == [
        {"role": "user", "content": "remember me"},
        {"role": "assistant", "content": "remember me | 0 | 0.5 | be brief | w0 w1 w2 w3"},
    ]
    assert line["parts"] == [m["content"] for m in line["history"]]
    client.close()


def test_submit_streams_partials_in_order(bubble: str) -> None:
    client = connect(bubble)
    job = client.submit("slow stream", api_name="/chat")
    partials = list(job)
    assert len(partials) > 3
    words = [len(partial.split("|")[-1].split()) for partial in partials]
    assert words == sorted(words) and words[-1] == 40
    assert job.result() == partials[-1]
    client.close()


def test_view_api_lists_the_endpoint_by_its_api_name(bubble: str) -> None:
    client = connect(bubble)
    info = client.view_api(print_info=False, return_format="dict")
    assert isinstance(info, dict)
    endpoint = info["named_endpoints"]["/chat"]
    assert [p["parameter_name"] for p in endpoint["parameters"]] == [
        "message", "temperature", "system",
    ]  # fmt: skip
    assert [p["component"] for p in endpoint["parameters"]] == ["Textbox", "Slider", "Textbox"]
    assert endpoint["returns"][0]["component"] == "Json"
    text = client.view_api(print_info=False, return_format="str")
    assert 'predict(message, temperature, system, api_name="/chat")' in str(text)
    client.close()


def test_gr_error_reaches_the_client_other_errors_do_not(bubble: str) -> None:
    client = connect(bubble)
    with pytest.raises(AppError, match="You asked me to fail."):
        client.predict("fail", api_name="/chat")
    with pytest.raises(AppError) as caught:
        client.predict("crash", api_name="/chat")
    assert "secret" not in str(caught.value)
    client.close()


def test_cancel_closes_the_generator(bubble: str, probe: Path) -> None:
    client = connect(bubble)
    job = client.submit("slow cancel", api_name="/chat")
    for partial in job:
        if partial.endswith("w1"):
            break
    job.cancel()
    record = wait_until(
        lambda: next((json.loads(x) for x in complete_lines(probe) if '"slow cancel"' in x), None),
        "the generator's finally",
    )
    assert record["ended"] == "GeneratorExit"  # closed mid-answer: the answer has no end
    assert record["yielded"] >= 2
    client.close()


@pytest.fixture(name="files_bubble", scope="module")
def _files_bubble() -> Iterator[str]:
    with running_server(str(APPS / "gradio_files.py")) as base:
        yield base


def test_view_api_names_the_endpoint_after_the_function(files_bubble: str) -> None:
    client = connect(files_bubble)
    text = str(client.view_api(print_info=False, return_format="str"))
    assert 'api_name="/look"' in text
    assert "dict(text: str, files: list[filepath])" in text
    client.close()


def test_handle_file_uploads_and_an_async_function_answers(
    files_bubble: str, tmp_path: Path
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hello file")
    client = connect(files_bubble)
    message = {"text": "read this", "files": [handle_file(str(note))]}
    assert client.predict(message, api_name="/look") == "read this | .txt=hello file | 0"
    # The file stays in the session's history: one message for it, one for the text.
    assert client.predict({"text": "and now", "files": []}, api_name="/look") == ("and now |  | 3")
    client.close()


def test_the_welcome_opens_every_sessions_history_and_reasoning_stays_text() -> None:
    # As measured on Gradio 6.31: Chatbot(value=...) is the start of the history the function
    # gets through gradio_client too, and its API answers carry the text as the function gave it.
    app = Path(__file__).resolve().parents[2] / "e2e" / "apps" / "chatbot_extras.py"
    with running_server(str(app)) as base:
        client = connect(base)
        first = client.predict("history one", api_name="/respond")
        assert first.startswith("history: assistant=**Welcome!** Ask me about $$e^{i\\pi}$$.")
        second = client.predict("history two", api_name="/respond")
        welcome = "assistant=**Welcome!** Ask me about $$e^{i\\pi}$$."
        assert second == f"history: {welcome} | user=history one | assistant={first}"
        thought = client.predict("apples", api_name="/respond")
        assert thought == "<think>Counting the apples</think>There are 4 apples."
        client.close()
