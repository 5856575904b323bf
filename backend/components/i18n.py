"""``gr.I18n``: the app's own texts in several languages, as in Gradio 6.

``i18n = gr.I18n(en={"title": "Support"}, fr={"title": "Assistance"})`` holds the
translations; ``i18n("title")`` is an ``I18nData``, a stand-in for the text that any argument
taking a string accepts (title, description, placeholders, examples and their labels, button
labels, flagging options, labels). It reads as Gradio's marker,
``__i18n__{"__type__": "translation_metadata", "key": "title"}``, so it also survives being
joined to other text; ``launch(i18n=i18n)`` gives the app the translations.

Gradio's page translates the markers in the browser. Here the server does it per visitor
(``http/visitor_locale.py`` picks the locale): ``locale_for`` chooses among the catalog's
locales (exact, then the language without its region, then English, then the first one),
``resolve`` replaces every marker in a text or a JSON value, a key missing in that locale falls
back the same way and finally shows the key itself, as Gradio does.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

_TYPE = "translation_metadata"
_PREFIX = "__i18n__"
#: A marker inside any text (Gradio's ``str(I18nData)``: ``json.dumps`` with its default spacing).
_MARKER = re.compile(
    re.escape(_PREFIX) + r'\{"__type__": "' + _TYPE + r'", "key": ("(?:[^"\\]|\\.)*")\}'
)
#: BCP 47 as Gradio checks it (a locale outside it is kept, with a warning, as in Gradio).
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DEFAULT_LOCALE = "en"


class I18nData(str):
    """A translation key standing in for a text (``i18n("key")``). It is the marker string
    itself, so every argument that takes a string takes it, and text joined to it keeps it."""

    key: str

    def __new__(cls, key: str) -> I18nData:
        if not isinstance(key, str):
            raise TypeError(f"an i18n key must be a string, not {type(key).__name__}")
        if not key.strip():
            raise ValueError("an i18n key must not be empty")
        data = super().__new__(cls, _PREFIX + json.dumps({"__type__": _TYPE, "key": key}))
        data.key = key
        return data

    def __getnewargs__(self) -> tuple[str]:
        return (self.key,)

    def to_dict(self) -> dict[str, Any]:
        return {"__type__": _TYPE, "key": self.key}

    def tojson(self) -> dict[str, Any]:
        return self.to_dict()


class I18n:
    """``gr.I18n(**translations)``: each keyword a locale (``en``, ``fr``, ``pt-BR``) mapping
    translation keys to texts; ``i18n("key")`` names one of them."""

    def __init__(self, **translations: Mapping[str, str]) -> None:
        self.translations: dict[str, dict[str, str]] = {}
        for locale, texts in translations.items():
            if not isinstance(texts, Mapping):
                raise TypeError(
                    f"gr.I18n({locale}=...) must be a dict of key -> text, "
                    f"not {type(texts).__name__}"
                )
            for key, text in texts.items():
                if not isinstance(key, str) or not isinstance(text, str):
                    raise TypeError(
                        f"gr.I18n({locale}=...): keys and texts must be strings, "
                        f"not {key!r}: {text!r}"
                    )
            if not _LOCALE.match(locale):
                warnings.warn(
                    f"Invalid locale code: {locale!r}. Locale codes should follow BCP 47 "
                    "(e.g. 'en', 'en-US'); it is kept, matched without regard to case.",
                    UserWarning,
                    stacklevel=2,
                )
            self.translations[locale] = dict(texts)
        self._by_tag = {_tag(locale): locale for locale in self.translations}

    def __call__(self, key: str) -> I18nData:
        return I18nData(key)

    def __repr__(self) -> str:
        return f"I18n(locales={list(self.translations)!r})"

    @property
    def translations_dict(self) -> dict[str, dict[str, str]]:
        return self.translations

    def locale_for(self, preferences: Iterable[str]) -> str | None:
        """The catalog's locale for a visitor who prefers ``preferences`` (best first):
        the first one the catalog has, or its language without the region (``fr-CA`` →
        ``fr``), or a region of that language (``fr`` → ``fr-FR``); else English; else
        the first locale; None for an empty catalog."""
        for wanted in preferences:
            found = self._match(_tag(wanted))
            if found is not None:
                return found
        return self.default_locale

    @property
    def default_locale(self) -> str | None:
        if not self.translations:
            return None
        return self._match(DEFAULT_LOCALE) or next(iter(self.translations))

    def _match(self, tag: str) -> str | None:
        if tag in self._by_tag:
            return self._by_tag[tag]
        language = tag.split("-")[0]
        if language in self._by_tag:
            return self._by_tag[language]
        for known, locale in self._by_tag.items():
            if known.split("-")[0] == language:
                return locale
        return None

    def text(self, key: str, locale: str | None) -> str:
        """``key`` in ``locale``, else in its language, English, any locale; else the key."""
        order: list[str | None] = []
        if locale is not None:
            order += [locale, self._match(_tag(locale).split("-")[0])]
        order.append(self.default_locale)
        for candidate in (*order, *self.translations):
            if candidate is not None and key in self.translations.get(candidate, {}):
                return self.translations[candidate][key]
        return key


def resolve(value: Any, catalog: I18n | None, locale: str | None) -> Any:
    """``value`` (a text, or a JSON value of dicts and lists) with every i18n marker replaced
    by its text in ``locale`` (with no catalog, by its key)."""
    if isinstance(value, str):
        return resolve_text(value, catalog, locale)
    if isinstance(value, dict):
        return {key: resolve(item, catalog, locale) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolve(item, catalog, locale) for item in value]
    return value


def resolve_text(text: str, catalog: I18n | None, locale: str | None) -> str:
    if _PREFIX not in text:
        return str(text)

    def replace(match: re.Match[str]) -> str:
        key = json.loads(match[1])
        return catalog.text(key, locale) if catalog is not None else key

    return _MARKER.sub(replace, text)


def translated(text: str) -> bool:
    """Whether ``text`` holds an i18n marker (its words depend on the visitor's locale)."""
    return _MARKER.search(text) is not None


def variants(text: str, catalog: I18n | None) -> dict[str, str]:
    """Each way ``text`` reads to some visitor (in each locale) → the text in the default
    locale (what the server records). A text without markers reads one way: itself."""
    canonical = resolve_text(text, catalog, catalog.default_locale if catalog else None)
    shown = {canonical: canonical}
    for locale in catalog.translations if catalog is not None else ():
        shown.setdefault(resolve_text(text, catalog, locale), canonical)
    return shown


def _tag(locale: str) -> str:
    return locale.strip().replace("_", "-").lower()
