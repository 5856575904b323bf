"""The OpenAPI document: valid 3.1, every route of the app in it, docs/api.md in sync."""

from __future__ import annotations

import re
from pathlib import Path

from openapi_spec_validator import validate

from backend.http.api_docs import render
from backend.http.openapi import openapi_document
from tests.conftest import echo, make_app

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_document_is_valid_openapi_3_1() -> None:
    document = openapi_document("http://127.0.0.1:8000")
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert {"info", "paths", "components"} <= set(document)
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["responses"] and operation["operationId"]


def test_every_api_route_is_documented() -> None:
    app = make_app(echo)
    documented = {
        (method.upper(), path)
        for path, item in openapi_document()["paths"].items()
        for method in item
    }
    routes = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).rstrip("/"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/", "/v1/", "/openapi", "/gradio_api/", "/config"))
        and "assets" not in rule.rule
        for method in rule.methods or ()
        if method in ("GET", "POST")
    }
    assert routes == documented


async def test_the_server_serves_it_with_its_url() -> None:
    app = make_app(echo)
    async with app.test_app() as test_app:
        response = await test_app.test_client().get("/openapi.json")
        document = await response.get_json()
    assert response.status_code == 200
    interface = app.extensions["chatbubble"].interface
    endpoint = (interface.api_name, interface.api_description)
    assert document == openapi_document("http://localhost", endpoint)


def test_docs_api_md_is_in_sync() -> None:
    expected = render(openapi_document())
    actual = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/api.md is out of date: run `make docs`"
