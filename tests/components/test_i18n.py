"""``gr.I18n``: the catalog, its keys, the locale a visitor gets and the fallbacks."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

import backend as gr
from backend.components.i18n import I18nData, resolve, translated, variants

CATALOG = {
    "en": {"title": "Support", "ex1": "Where is my order?", "only_en": "English only"},
    "fr": {"title": "Assistance", "ex1": "Où est ma commande ?"},
    "pt-BR": {"title": "Suporte"},
}


def i18n() -> gr.I18n:
    return gr.I18n(**CATALOG)


def test_a_key_reads_as_gradios_marker() -> None:
    title = i18n()("title")
    assert isinstance(title, I18nData) and isinstance(title, str)
    assert title.key == "title"
    assert title == '__i18n__{"__type__": "translation_metadata", "key": "title"}'
    assert title.to_dict() == {"__type__": "translation_metadata", "key": "title"}
    assert title.tojson() == title.to_dict()
    assert json.dumps({"t": title}) == json.dumps({"t": str(title)})
    assert pickle.loads(pickle.dumps(title)).key == "title"
    assert copy.deepcopy(title).key == "title"
    assert i18n().translations_dict == CATALOG


def test_the_visitors_locale_exact_then_language_then_english() -> None:
    catalog = i18n()
    assert catalog.locale_for(["fr"]) == "fr"
    assert catalog.locale_for(["fr-CA", "en"]) == "fr"
    assert catalog.locale_for(["FR_ca"]) == "fr"
    assert catalog.locale_for(["pt"]) == "pt-BR"  # a region of the language
    assert catalog.locale_for(["pt-br"]) == "pt-BR"
    assert catalog.locale_for(["de", "fr"]) == "fr"  # the first the catalog has
    assert catalog.locale_for(["de"]) == "en"
    assert catalog.locale_for([]) == "en"
    assert gr.I18n(fr={"a": "b"}, de={"a": "c"}).locale_for(["ja"]) == "fr"  # no English
    assert gr.I18n().locale_for(["fr"]) is None


def test_a_missing_key_falls_back_to_english_then_the_key() -> None:
    catalog = i18n()
    assert catalog.text("title", "fr") == "Assistance"
    assert catalog.text("title", "fr-CA") == "Assistance"
    assert catalog.text("only_en", "fr") == "English only"
    assert catalog.text("ex1", "pt-BR") == "Where is my order?"
    assert catalog.text("nowhere", "fr") == "nowhere"
    assert gr.I18n(fr={"k": "v"}).text("k", "de") == "v"


def test_resolve_replaces_every_marker_in_texts_and_json() -> None:
    catalog = i18n()
    title = catalog("title")
    value = {"title": title, "list": [catalog("ex1"), 3, None], "joined": "» " + title + "!"}
    assert resolve(value, catalog, "fr") == {
        "title": "Assistance",
        "list": ["Où est ma commande ?", 3, None],
        "joined": "» Assistance!",
    }
    assert resolve(value, catalog, "en")["joined"] == "» Support!"
    assert resolve(title, None, "fr") == "title"  # no launch(i18n=...): the key, as Gradio
    assert resolve("plain", catalog, "fr") == "plain"
    assert translated("Hi " + title) and not translated("Hi")


def test_variants_map_each_locales_text_to_the_default_one() -> None:
    catalog = i18n()
    assert variants(catalog("ex1"), catalog) == {
        "Where is my order?": "Where is my order?",
        "Où est ma commande ?": "Where is my order?",
    }
    assert variants("Bad", catalog) == {"Bad": "Bad"}


def test_bad_arguments_are_clear_errors() -> None:
    with pytest.raises(TypeError, match=r"gr.I18n\(fr=...\) must be a dict"):
        gr.I18n(fr="Bonjour")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="keys and texts must be strings"):
        gr.I18n(fr={"title": 3})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="an i18n key must be a string"):
        i18n()(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must not be empty"):
        i18n()(" ")
    with pytest.warns(UserWarning, match="Invalid locale code: 'EN'"):
        catalog = gr.I18n(EN={"a": "b"})
    assert catalog.locale_for(["en-US"]) == "EN"
