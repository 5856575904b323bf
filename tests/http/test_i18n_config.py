"""``gr.I18n`` texts over HTTP: ``/api/config``, the full page, ``/gradio_api/info`` and Gradio's
``/config`` in the visitor's locale (``?locale=``, else ``Accept-Language``); a translated
example and a translated flag option come back in the visitor's language."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import Headers

import backend as gr
from backend import Settings, create_app

I18N = gr.I18n(
    en={"title": "Support", "desc": "Ask us", "ph": "Type here", "ex1": "Where is my order?",
        "lab1": "Order", "send": "Send it", "stop": "Halt", "flag": "Wrong", "bot": "Bot",
        "hello": "Hello there", "temp": "Temperature", "more": "More"},
    fr={"title": "Assistance", "desc": "Demandez", "ph": "Tapez ici",
        "ex1": "Où est ma commande ?", "lab1": "Commande", "send": "Envoyer", "stop": "Arrêter",
        "flag": "Faux", "bot": "Robot", "hello": "Bonjour", "temp": "Température",
        "more": "Plus"},
)  # fmt: skip


@pytest.fixture(autouse=True)
def _in_a_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the signing secret and the flags go under the working dir


def echo(message: str, history: list[Any], temperature: float) -> str:
    return f"{message} @ {temperature}"


def demo(i18n: gr.I18n | None = I18N) -> gr.ChatInterface:
    t = I18N
    chat = gr.ChatInterface(
        echo,
        title=t("title"),
        description=t("desc"),
        textbox=gr.Textbox(placeholder=t("ph"), submit_btn=t("send"), stop_btn=t("stop")),
        chatbot=gr.Chatbot(
            label=t("bot"), placeholder=t("hello"), value=[{"role": "assistant", "content": "Hi"}]
        ),
        examples=[[t("ex1"), 0.5]],
        example_labels=[t("lab1")],
        additional_inputs=[gr.Slider(label=t("temp"))],
        additional_inputs_accordion=t("more"),
        flagging_mode="manual",
        flagging_options=[t("flag")],
        cache_examples=True,
    )
    chat.i18n = i18n
    return chat


async def get(
    chat: gr.ChatInterface,
    path: str,
    headers: dict[str, str] | None = None,
    settings: Settings | None = None,
) -> tuple[int, Headers, str]:
    app = create_app(chat, settings or Settings.from_mapping({}))
    async with app.test_app() as test_app:
        response = await test_app.test_client().get(path, headers=headers or {})
        return response.status_code, response.headers, await response.get_data(as_text=True)


async def config(chat: gr.ChatInterface, path: str = "/api/config", **headers: str) -> Any:
    status, response_headers, body = await get(chat, path, headers)
    assert status == 200, body
    assert "Accept-Language" in response_headers.get_all("Vary")
    assert "__i18n__" not in body
    return json.loads(body)


def texts(body: dict[str, Any]) -> list[Any]:
    inputs = body["additional_inputs"]
    return [
        body["title"], body["description"], body["placeholder"], body["label"],
        body["textbox"]["placeholder"], body["textbox"]["submit_btn"], body["textbox"]["stop_btn"],
        [(e["text"], e["label"]) for e in body["examples"]], body["flagging"]["options"],
        inputs["accordion"]["label"], inputs["inputs"][0]["label"],
    ]  # fmt: skip


FRENCH = [
    "Assistance", "Demandez", "Bonjour", "Robot", "Tapez ici", "Envoyer", "Arrêter",
    [("Où est ma commande ?", "Commande")], ["Faux"], "Plus", "Température",
]  # fmt: skip
ENGLISH = [
    "Support", "Ask us", "Hello there", "Bot", "Type here", "Send it", "Halt",
    [("Where is my order?", "Order")], ["Wrong"], "More", "Temperature",
]  # fmt: skip


async def test_the_widget_gets_french_by_its_locale_or_accept_language() -> None:
    assert texts(await config(demo(), "/api/config?locale=fr")) == FRENCH
    assert texts(await config(demo(), "/api/config?locale=fr-CA")) == FRENCH
    french = await config(demo(), **{"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert texts(french) == FRENCH
    # ?locale= (the widget's choice) before the browser's languages
    chosen = await config(demo(), "/api/config?locale=en-GB", **{"Accept-Language": "fr"})
    assert texts(chosen) == ENGLISH


async def test_the_apps_locale_comes_after_the_widgets_and_before_the_browsers() -> None:
    french_app = Settings.from_mapping({"locale": "fr"})
    _, _, body = await get(demo(), "/api/config", {"Accept-Language": "en"}, french_app)
    assert texts(json.loads(body)) == FRENCH
    _, _, body = await get(demo(), "/api/config?locale=en", {"Accept-Language": "fr"}, french_app)
    assert texts(json.loads(body)) == ENGLISH


async def test_english_otherwise() -> None:
    assert texts(await config(demo())) == ENGLISH
    assert texts(await config(demo(), **{"Accept-Language": "de-DE,ja;q=0.5"})) == ENGLISH
    assert texts(await config(demo(), **{"Accept-Language": "fr;q=0, en"})) == ENGLISH


async def test_without_launch_i18n_the_keys_show_as_in_gradio() -> None:
    body = await config(demo(i18n=None), **{"Accept-Language": "fr"})
    assert body["title"] == "title" and body["examples"][0]["text"] == "ex1"


async def test_a_malformed_locale_is_a_clear_error() -> None:
    status, _, body = await get(demo(), "/api/config?locale=fr%3Cscript%3E")
    assert status == 422
    assert json.loads(body)["error"] == (
        "'locale' must be a language tag such as 'fr' or 'pt-BR'."
    )


async def test_the_full_page_and_its_api_page() -> None:
    _, headers, page = await get(demo(), "/", {"Accept-Language": "fr-FR"})
    assert '<html lang="fr">' in page and "<title>Assistance</title>" in page
    assert "Accept-Language" in headers.get_all("Vary")
    _, _, page = await get(demo(), "/")
    assert '<html lang="en">' in page and "<title>Support</title>" in page
    _, _, api = await get(demo(), "/?view=api", {"Accept-Language": "fr"})
    assert "Assistance" in api and "Température" in api and "__i18n__" not in api


async def test_gradio_info_has_labels_and_gradio_config_has_the_translations() -> None:
    status, headers, body = await get(demo(), "/gradio_api/info", {"Accept-Language": "fr"})
    assert status == 200 and "Accept-Language" in headers.get_all("Vary")
    info = json.loads(body)
    (endpoint,) = info["named_endpoints"].values()
    assert [p["label"] for p in endpoint["parameters"]][-1] == "Température"
    # Gradio's /config sends the keys and the catalog: its client translates them.
    _, _, body = await get(demo(), "/config", {"Accept-Language": "fr"})
    document = json.loads(body)
    assert document["i18n_translations"] == I18N.translations_dict
    assert document["title"] == '__i18n__{"__type__": "translation_metadata", "key": "title"}'


async def test_a_translated_example_is_answered_in_the_visitors_words() -> None:
    app = create_app(demo(), Settings.from_mapping({}))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        answers = []
        for message in ("Où est ma commande ?", "Where is my order?", "Wo ist sie?"):
            response = await client.post(
                "/api/chat",
                data=json.dumps({"message": message, "example": 0, "inputs": [0.5]}),
                headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
            )
            answers.append((response.status_code, await response.get_data(as_text=True)))
    # Never served from the cache: each visitor's words reach the chat function.
    assert answers[0][0] == 200 and "Où est ma commande ? @ 0.5" in answers[0][1]
    assert answers[1][0] == 200 and "Where is my order? @ 0.5" in answers[1][1]
    assert answers[2][0] == 422 and "does not name this example" in answers[2][1]


async def test_a_translated_flag_is_recorded_in_the_default_language(tmp_path: Path) -> None:
    app = create_app(demo(), Settings.from_mapping({"flush_interval": 0}))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        statuses = []
        for flag in ("Faux", "Wrong", "Falsch"):
            body = {"flag": flag, "visitor": "v_abcdefgh", "conversation_id": "c_abcdefgh",
                    "welcome": 0}  # fmt: skip
            response = await client.post(
                "/api/feedback",
                data=json.dumps(body),
                headers={"Content-Type": "application/json"},
            )
            statuses.append(response.status_code)
    assert statuses == [200, 200, 422]
    with open(tmp_path / ".gradio" / "flagged" / "log.csv", newline="", encoding="utf-8") as log:
        # one row: the French flag and the English one are the same flag (a repeat is kept once)
        assert [row[2] for row in list(csv.reader(log))[1:]] == ["Wrong"]
