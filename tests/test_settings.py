from __future__ import annotations

from pathlib import Path

import pytest

from backend import Settings
from backend.settings import SettingsError


def test_precedence_defaults_toml_env_flags(tmp_path: Path) -> None:
    config = tmp_path / "chatbubble.toml"
    config.write_text('port = 9000\nhost = "0.0.0.0"\nmax_message_chars = 500\n')
    env = {
        "CHATBUBBLE_PORT": "9100",
        "CHATBUBBLE_ALLOWED_ORIGINS": "https://a.example, https://b.example",
    }
    settings = Settings.load({"host": "127.0.0.2"}, config_file=config, environ=env)
    assert settings.port == 9100  # env beats the file
    assert settings.host == "127.0.0.2"  # a flag beats everything
    assert settings.max_message_chars == 500  # the file beats defaults
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
    assert settings.stream_idle_timeout == Settings().stream_idle_timeout


def test_config_file_from_environment(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("compress_streams = false\n")
    settings = Settings.load(environ={"CHATBUBBLE_CONFIG": str(config)})
    assert settings.compress_streams is False


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"port": "eighty"}, "port must be a int"),
        ({"port": 70000}, "between 0 and 65535"),
        ({"max_body_bytes": 0}, "at least 1"),
        ({"compress_streams": "maybe"}, "compress_streams must be a bool"),
        ({"allowed_origins": "example.com"}, "not an origin"),
        ({"colour": "red"}, "unknown setting 'colour'"),
        ({"log_level": "loud"}, "log_level"),
        ({"max_answer_chars": -5}, "max_answer_chars must not be negative"),
        ({"greeting": "x" * 201}, "greeting must be at most 200 characters"),
        ({"greeting_delay": -1}, "greeting_delay must be between 0 and 3600"),
        ({"greeting_delay": 3601}, "greeting_delay must be between 0 and 3600"),
        ({"locale": "German"}, "locale must be a language tag"),
        ({"locale": "de DE"}, "locale must be a language tag"),
        ({"notice": "x" * 1001}, "notice must be at most 1000 characters"),
        ({"consent": "x" * 501}, "consent must be at most 500 characters"),
        ({"privacy_url": "javascript:alert(1)"}, "privacy_url must be an http"),
        ({"privacy_url": "example.com/privacy"}, "privacy_url must be an http"),
    ],
)
def test_bad_values_name_the_setting(values: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_mapping(values)


def test_unknown_environment_variable_is_an_error() -> None:
    with pytest.raises(SettingsError, match="CHATBUBBLE_PROT"):
        Settings.load(environ={"CHATBUBBLE_PROT": "1"})


def test_bad_toml_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("port = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(config_file=config, environ={})
    with pytest.raises(SettingsError, match="cannot read"):
        Settings.load(config_file=tmp_path / "missing.toml", environ={})


def test_base_url() -> None:
    assert Settings(port=8123).base_url == "http://127.0.0.1:8123"
    assert Settings(host="0.0.0.0", port=80).base_url == "http://127.0.0.1:80"
    assert Settings(public_url="https://bot.example.com/").base_url == "https://bot.example.com"


def test_the_openai_variables_name_the_model_server() -> None:
    settings = Settings.load(environ={"OPENAI_BASE_URL": "http://a/v1", "OPENAI_API_KEY": "k"})
    assert (settings.openai_base_url, settings.token) == ("http://a/v1", "k")
    settings = Settings.load(environ={"OPENAI_API_KEY": "k", "CHATBUBBLE_TOKEN": "mine"})
    assert settings.token == "mine"
    assert "mine" not in repr(settings)
    with pytest.raises(SettingsError, match="openai_base_url"):
        Settings.load(environ={"OPENAI_BASE_URL": "localhost:11434"})


@pytest.mark.parametrize(
    ("raw", "question"),
    [
        ("", False),
        ("false", False),
        ("off", False),
        ("true", True),
        ("Yes", True),
        (True, True),
        (False, False),
        ("  May we keep your messages?  ", "May we keep your messages?"),
    ],
)
def test_consent_is_a_flag_or_the_question(raw: object, question: object) -> None:
    assert Settings.from_mapping({"consent": raw}).consent_question == question


def test_notice_consent_and_privacy_url_from_toml_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('consent = true\nnotice = "You are chatting with an AI."\n')
    settings = Settings.load(
        config_file=config,
        environ={"CHATBUBBLE_PRIVACY_URL": "https://example.com/privacy"},
    )
    assert settings.consent_question is True
    assert settings.notice == "You are chatting with an AI."
    assert settings.privacy_url == "https://example.com/privacy"
    flags = Settings.load(overrides={"consent": "Agree?"}, environ={"CHATBUBBLE_CONSENT": "1"})
    assert flags.consent_question == "Agree?"


def test_backlog_is_high_enough_for_a_burst_and_must_be_positive() -> None:
    assert Settings().backlog >= 2048  # 1,000 visitors connecting at once fit in the queue
    assert Settings.load(environ={"CHATBUBBLE_BACKLOG": "300"}).backlog == 300
    with pytest.raises(SettingsError, match="backlog must be at least 1"):
        Settings.from_mapping({"backlog": 0})
