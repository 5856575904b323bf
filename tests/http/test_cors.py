from __future__ import annotations

from werkzeug.datastructures import Headers

from backend.http.cors import OriginPolicy, normalize


def test_normalize() -> None:
    assert normalize("HTTPS://Shop.Example:443") == "https://shop.example"
    assert normalize("http://a.example:80") == "http://a.example"
    assert normalize("http://a.example:8080") == "http://a.example:8080"


def test_open_policy() -> None:
    policy = OriginPolicy(())
    headers = Headers()
    policy.apply(headers, "https://any.example")
    assert policy.allows("https://any.example") and headers["Access-Control-Allow-Origin"] == "*"


def test_closed_policy_echoes_only_allowed_origins() -> None:
    policy = OriginPolicy(["https://a.example"])
    assert policy.allows(None)  # no Origin: not a cross-origin page
    allowed, refused = Headers(), Headers()
    policy.apply(allowed, "https://a.example")
    policy.apply(refused, "https://b.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Access-Control-Allow-Origin" not in refused
    assert allowed["Vary"] == "Origin" == refused["Vary"]
