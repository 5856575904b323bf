"""The visitor's locale for the app's ``gr.I18n`` texts: ``?locale=`` (the widget's chosen
locale), else the request's ``Accept-Language`` (best first, by its q-values), matched
against the app's catalog (``components/i18n.py``: exact, then without the region, then
English, then its first locale).

Responses whose words depend on it carry ``Vary: Accept-Language`` (``?locale=`` is part of
the URL, so caches key on it already)."""

from __future__ import annotations

import re

from quart import Response, request

from ..components.i18n import I18n
from ..errors import InvalidRequestError

#: A BCP 47 tag as browsers send them (``fr``, ``pt-BR``, ``zh-Hant-TW``); ``_`` is taken too.
_TAG = re.compile(r"\A[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}\Z")


def preferences(app_locale: str | None = None) -> list[str]:
    """The locales the visitor asks for, best first: the widget's ``?locale=`` (its
    ``data-locale``), the app's ``locale`` setting, then the browser's ``Accept-Language``, in the
    order the widget chooses its own language."""
    wanted = request.args.get("locale")
    asked: list[str] = []
    if wanted is not None:
        if not _TAG.match(wanted):
            raise InvalidRequestError("'locale' must be a language tag such as 'fr' or 'pt-BR'.")
        asked.append(wanted)
    if app_locale:
        asked.append(app_locale)
    asked.extend(
        value
        for value, quality in request.accept_languages
        if quality > 0 and value != "*" and _TAG.match(value)
    )
    return asked


def visitor_locale(catalog: I18n | None, app_locale: str | None = None) -> str | None:
    """The catalog's locale for this request's visitor (None without a catalog)."""
    if catalog is None:
        return None
    return catalog.locale_for(preferences(app_locale))


def vary_by_locale(response: Response) -> None:
    response.headers.add("Vary", "Accept-Language")
