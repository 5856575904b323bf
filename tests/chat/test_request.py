"""``gr.Request``: which parameter takes it (Gradio's rule, and a ``request`` parameter by
name), and its attributes as Gradio's (headers in any case, query lists, the URL's parts)."""

from __future__ import annotations

from typing import Any, Optional

import pytest

import backend as gr
from backend.chat.request import Client, Request, inject
from backend.chat.validation import arity

REQUEST = Request(url="https://a.example/x?q=1")


def annotated(message: str, history: list[Any], request: gr.Request) -> None: ...


def in_between(message: str, request: gr.Request, history: list[Any], extra: int) -> None: ...


def optional(message: str, history: list[Any], request: Optional[gr.Request] = None) -> None: ...  # noqa: UP045


def by_name(message, history, request=None):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    ...


def keyword_only(message: str, history: list[Any], *, request: gr.Request) -> None: ...


def unrelated(message: str, history: list[Any], request: int = 0) -> None: ...


def plain(message: str, history: list[Any]) -> None: ...


@pytest.mark.parametrize(
    ("fn", "args", "expected"),
    [
        (annotated, ("m", []), (("m", [], REQUEST), {})),
        (in_between, ("m", [], 3), (("m", REQUEST, [], 3), {})),
        (optional, ("m", []), (("m", [], REQUEST), {})),
        (by_name, ("m", []), (("m", []), {"request": REQUEST})),
        (keyword_only, ("m", []), (("m", []), {"request": REQUEST})),
        (unrelated, ("m", []), (("m", []), {})),
        (plain, ("m", []), (("m", []), {})),
    ],
)
def test_the_request_goes_where_the_function_asks(
    fn: Any, args: tuple[Any, ...], expected: Any
) -> None:
    assert inject(fn, args, REQUEST) == expected


def test_a_request_parameter_by_name_never_takes_an_input_value() -> None:
    # Three values given: `request` is the third positional parameter and gets the value.
    assert inject(by_name, ("m", [], 5), REQUEST) == (("m", [], 5), {})


def test_a_request_builder_is_called_only_for_a_function_that_takes_the_request() -> None:
    built: list[Request] = []

    def build() -> Request:
        built.append(REQUEST)
        return REQUEST

    assert inject(plain, ("m", []), build) == (("m", []), {})
    assert built == []  # a function without a gr.Request parameter: nothing built
    assert inject(annotated, ("m", []), build) == (("m", [], REQUEST), {})
    assert built == [REQUEST]


def test_string_annotations_and_callable_objects() -> None:
    def later(message, history, request: "gr.Request"):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, UP037
        ...

    class Bot:
        def __call__(self, message: str, history: list[Any], request: gr.Request) -> None: ...

    assert inject(later, ("m", []), REQUEST) == (("m", [], REQUEST), {})
    assert inject(Bot(), ("m", []), REQUEST) == (("m", [], REQUEST), {})


def test_arity_checks_leave_the_request_out() -> None:
    gr.ChatInterface(annotated)  # does not raise: the request is not an input
    gr.ChatInterface(in_between, additional_inputs=[gr.Number(1)])

    def check(message: str, request: gr.Request) -> None: ...

    assert arity(check, 2) == 1


def test_attributes_as_gradio_has_them() -> None:
    request = Request(
        headers=[("User-Agent", "x"), ("Accept", "a"), ("accept", "b")],
        client=Client("10.0.0.1", 4000),
        url="https://a.example:8443/shop/42?tag=a&tag=b&empty=",
        cookies={"k": "v"},
        session_hash="abc",
    )
    assert request.headers["user-agent"] == request.headers["USER-AGENT"] == "x"
    assert "Accept" in request.headers and request.headers["accept"] == "a, b"
    assert dict(request.headers) == {"user-agent": "x", "accept": "a, b"}
    assert request.client.host == "10.0.0.1" and request.client.port == 4000
    assert dict(request.query_params) == {"tag": "b", "empty": ""}
    assert request.query_params.getlist("tag") == ["a", "b"]
    assert request.url == "https://a.example:8443/shop/42?tag=a&tag=b&empty="
    assert (request.url.scheme, request.url.hostname, request.url.port) == (
        "https",
        "a.example",
        8443,
    )
    assert request.url.path == "/shop/42" and request.url.query.startswith("tag=a")
    assert request.cookies == {"k": "v"} and request.session_hash == "abc"
    assert request.username is None and request.path_params == {}
