"""``request.page``: the page the widget is on, as its browser describes it, and the system
message template of ``load_chat`` that puts it into words.

Everything here comes from the visitor's browser: the page's script can set any of it, and so can
anyone who posts to ``/api/chat`` by hand. It is context for the answer, never proof of who is
asking or what they may see (that is ``request.username``, from a login or a verified token).

A template names the fields as ``{page.url}``, ``{page.title}``, ``{page.lang}``,
``{page.referrer}``, ``{page.context}`` (the page's values as compact JSON) and
``{page.context[plan]}`` (one value: a string as it is, anything else as JSON; ``""`` when the
page did not set it). Nothing else may be named: no other attribute, index, conversion
(``!r``) or format spec, so a template can neither reach into Python objects nor pad a field to
any width. ``{{`` and ``}}`` are literal braces. A bad template is refused when it is made.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: The fields of ``request.page`` a template may name.
FIELDS = ("url", "title", "lang", "referrer")
_FIELD = re.compile(r"\Apage\.(url|title|lang|referrer|context)(?:\[([^\[\]]{1,100})\])?\Z")


def _frozen(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True)
class Page:
    """The page a message was sent from (``request.page``): each field is ``""`` (or an empty
    ``context``) when the page sent none, e.g. with ``data-page-context="off"`` on the script
    tag, or for Gradio's clients and ``/v1``.

    Attributes:
        url: the page's http(s) URL without its fragment (also ``request.url``).
        title: ``document.title`` (at most 300 characters).
        lang: the page's language: ``<html lang>``, or the browser's (``navigator.language``)
            when the page declares none (at most 35 characters).
        locale: the language the widget speaks to the visitor (``data-locale``, the app's
            ``locale`` setting, else the browser's; e.g. ``de``, ``pt-BR``), ``""`` if unsaid.
        referrer: the page that linked to this one (``document.referrer``), if any.
        context: the values the page set with ``data-context='{...}'`` on the script tag and
            ``chatbubble('context', {...})`` (JSON: strings, numbers, booleans, null, lists,
            objects; at most 4 KB). **Unverified**: the visitor can send anything here.
    """

    url: str = ""
    title: str = ""
    lang: str = ""
    locale: str = ""
    referrer: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "context", _frozen(self.context))

    def __repr__(self) -> str:
        return (
            f"Page(url={self.url!r}, title={self.title!r}, lang={self.lang!r}, "
            f"locale={self.locale!r}, referrer={self.referrer!r}, context={dict(self.context)!r})"
        )


#: No page (``request.page`` of a request that named none).
NO_PAGE = Page()


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class PageTemplate:
    """A text with ``{page.…}`` fields (see the module's docstring), checked when made;
    ``render(page)`` fills them in."""

    def __init__(self, template: str) -> None:
        if not isinstance(template, str):
            raise TypeError("the page template must be a string")
        self.template = template
        #: Literal text, then the field it is followed by: (name, context key) or None.
        self._parts: list[tuple[str, tuple[str, str | None] | None]] = []
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError as error:
            raise ValueError(f"bad page template: {error} (write {{{{ for a brace)") from None
        for literal, name, spec, conversion in parsed:
            if name is None:
                self._parts.append((literal, None))
                continue
            found = _FIELD.match(name)
            if not found or spec or conversion or (found.group(2) and found.group(1) != "context"):
                raise ValueError(
                    f"bad page template field {{{name[:60]}}}: use {{page.url}}, {{page.title}}, "
                    "{page.lang}, {page.referrer}, {page.context} or {page.context[key]}, "
                    "with no format spec or conversion (write {{ for a brace)"
                )
            self._parts.append((literal, (found.group(1), found.group(2))))

    def render(self, page: Page | None) -> str:
        page = page or NO_PAGE
        out: list[str] = []
        for literal, wanted in self._parts:
            out.append(literal)
            if wanted is None:
                continue
            name, key = wanted
            if name != "context":
                out.append(str(getattr(page, name)))
            elif key is None:
                out.append(_compact(dict(page.context)) if page.context else "")
            else:
                value = page.context.get(key)
                out.append(
                    "" if value is None else value if isinstance(value, str) else _compact(value)
                )
        return "".join(out)

    def __repr__(self) -> str:
        return f"PageTemplate({self.template!r})"
