"""``request.page`` (``chat/page.py``): the page's fields, read-only, and the template that puts
them into a system message with nothing but the documented fields."""

from __future__ import annotations

import pytest

from backend.chat.page import NO_PAGE, Page, PageTemplate
from backend.chat.request import Request

PAGE = Page(
    url="https://shop.example/a?x=1",
    title="Red shoes",
    lang="fr",
    referrer="https://search.example/",
    context={"plan": "pro", "seats": 3, "tags": ["a", "é"], "none": None},
)


def test_a_request_without_a_page_has_an_empty_one() -> None:
    page = Request().page
    assert page is NO_PAGE
    assert (page.url, page.title, page.lang, page.referrer, dict(page.context)) == (
        "",
        "",
        "",
        "",
        {},
    )
    assert Request(page=PAGE).page is PAGE


def test_the_context_cannot_be_changed_by_the_function() -> None:
    values = {"plan": "pro"}
    page = Page(context=values)
    values["plan"] = "free"  # the page keeps its own copy
    assert page.context["plan"] == "pro"
    with pytest.raises(TypeError):
        page.context["plan"] = "free"  # type: ignore[index]
    assert "plan" in repr(page)


def test_the_template_fills_in_the_documented_fields() -> None:
    template = PageTemplate(
        "On {page.title} ({page.url}, {page.lang}) from {page.referrer}: "
        "plan {page.context[plan]}, {page.context[seats]} seats, tags {page.context[tags]}, "
        "[{page.context[none]}] "
        "[{page.context[missing]}] all {page.context} {{literal}}"
    )
    assert template.render(PAGE) == (
        "On Red shoes (https://shop.example/a?x=1, fr) from https://search.example/: plan pro, "
        '3 seats, tags ["a","é"], [] [] all {"plan":"pro","seats":3,"tags":["a","é"],"none":null}'
        " {literal}"
    )
    assert PageTemplate("On {page.title} {page.context}.").render(None) == "On  ."


@pytest.mark.parametrize(
    "template",
    [
        "{page.__class__}",
        "{page.url.__class__}",
        "{page.title[0]}",
        "{page}",
        "{request.headers}",
        "{0}",
        "{}",
        "{page.title:>999999999}",
        "{page.title!r}",
        "{page.context[a][b]}",
        "{page.context.keys}",
        "unclosed {page.title",
        "stray } brace",
    ],
)
def test_anything_else_is_refused_when_the_template_is_made(template: str) -> None:
    with pytest.raises(ValueError, match="page template"):
        PageTemplate(template)


def test_a_template_must_be_text() -> None:
    with pytest.raises(TypeError):
        PageTemplate(42)  # type: ignore[arg-type]
