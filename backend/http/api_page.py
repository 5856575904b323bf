"""``GET /?view=api``: the page behind the full page's "Use via API" link (Gradio's own link):
the chat's endpoint as ``/gradio_api/info`` describes it, with snippets for Python's
``gradio_client``, JavaScript's ``@gradio/client`` and curl naming this server's public URL,
and where the rest is described (``/openapi.json``, the widget's protocol). Plain HTML, readable
without JavaScript; every text from the app is escaped."""

from __future__ import annotations

import json
from html import escape
from typing import Any

_CSS = """\
body{margin:0 auto;max-width:900px;padding:16px 20px 40px;background:#fff;color:#1f2937;\
font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif}
@media (prefers-color-scheme:dark){body{background:#0b0f19;color:#e5e7eb}\
pre,code{background:#1f2937!important}}
a{color:inherit}
pre{overflow-x:auto;padding:12px 14px;border-radius:8px;background:#f3f4f6;font-size:13px}
code{border-radius:4px;background:#f3f4f6;padding:0 3px;font-size:13px}
pre code{padding:0}
table{border-collapse:collapse}th,td{padding:4px 10px;border:1px solid #9ca3af5c;text-align:left}
"""


def api_page(
    title: str,
    base: str,
    info: dict[str, Any],
    nonce: str,
    *,
    login: bool = False,
    openai: bool = False,
) -> str:
    """The page for the endpoints of ``info`` (``/gradio_api/info``'s document), ``base``
    being the server's public URL (``root_path`` included, no trailing slash)."""
    named: dict[str, Any] = info.get("named_endpoints", {})
    parts = [
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>API · {escape(title)}</title>\n",
        '<link rel="icon" href="data:,">\n',
        f'<style nonce="{nonce}">\n{_CSS}</style>\n</head>\n<body>\n',
        f'<p><a href="{escape(base)}/">← Back to the chat</a></p>\n',
        f"<h1>Use {escape(title)} via API</h1>\n",
    ]
    if not named:
        parts.append("<p>This app has no public API endpoint.</p>\n")
    for name, endpoint in named.items():
        parts.append(_endpoint(name, endpoint, base, login))
    parts.append(_more(base, openai))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _endpoint(name: str, endpoint: dict[str, Any], base: str, login: bool) -> str:
    parameters: list[dict[str, Any]] = endpoint.get("parameters", [])
    rows = "".join(
        f"<tr><td><code>{escape(str(p['parameter_name']))}</code></td>"
        f"<td><code>{escape(str(p['python_type']['type']))}</code></td>"
        f"<td>{escape(str(p.get('label') or ''))}</td>"
        f"<td>{_default(p)}</td></tr>\n"
        for p in parameters
    )
    description = endpoint.get("description") or ""
    return (
        f"<h2>Endpoint <code>{escape(name)}</code></h2>\n"
        + (f"<p>{escape(description)}</p>\n" if description else "")
        + "<table>\n<tr><th>parameter</th><th>type</th><th>label</th><th>default</th></tr>\n"
        + rows
        + "</table>\n<p>It returns the answer (JSON: text, or a message with files).</p>\n"
        + "<h3>Python (<code>pip install gradio_client</code>)</h3>\n"
        + _pre(python_snippet(name, parameters, base, login))
        + "<h3>JavaScript (<code>npm i @gradio/client</code>)</h3>\n"
        + _pre(javascript_snippet(name, parameters, base, login))
        + "<h3>curl</h3>\n"
        + _pre(curl_snippet(name, parameters, base))
    )


def _default(parameter: dict[str, Any]) -> str:
    if not parameter.get("parameter_has_default"):
        return "required"
    return f"<code>{escape(json.dumps(parameter.get('parameter_default')))}</code>"


def _pre(code: str) -> str:
    return f"<pre><code>{escape(code)}</code></pre>\n"


def python_snippet(
    name: str, parameters: list[dict[str, Any]], base: str, login: bool = False
) -> str:
    auth = ', auth=("username", "password")' if login else ""
    arguments = "".join(
        f"    {p['parameter_name']}={_python(p['example_input'])},\n" for p in parameters
    )
    return (
        "from gradio_client import Client\n\n"
        f"client = Client({json.dumps(base + '/')}{auth})\n"
        f"result = client.predict(\n{arguments}    api_name={json.dumps(name)},\n)\n"
        "print(result)\n"
    )


def javascript_snippet(
    name: str, parameters: list[dict[str, Any]], base: str, login: bool = False
) -> str:
    auth = ', { auth: ["username", "password"] }' if login else ""
    arguments = "".join(
        f"  {json.dumps(p['parameter_name'])}: {json.dumps(p['example_input'])},\n"
        for p in parameters
    )
    return (
        'import { Client } from "@gradio/client";\n\n'
        f"const client = await Client.connect({json.dumps(base + '/')}{auth});\n"
        f"const result = await client.predict({json.dumps(name)}, {{\n{arguments}}});\n"
        "console.log(result.data);\n"
    )


def curl_snippet(name: str, parameters: list[dict[str, Any]], base: str) -> str:
    """Gradio's two steps: POST the inputs for an event id, then read the answer's events."""
    call = f"{base}/gradio_api/call{name}"
    body = json.dumps({"data": [p["example_input"] for p in parameters]})
    return (
        f"EVENT_ID=$(curl -s -X POST {_shell(call)} -H 'Content-Type: application/json' \\\n"
        f"  -d {_shell(body)} | awk -F'\"' '{{ print $4 }}')\n"
        f"curl -N {_shell(call)}/$EVENT_ID\n"
    )


def _python(value: Any) -> str:
    """A JSON value as a Python literal."""
    return repr(value)


def _shell(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _more(base: str, openai: bool) -> str:
    items = [
        f'<li><a href="{escape(base)}/openapi.json">/openapi.json</a>: every route of this '
        "server as OpenAPI 3.1.</li>",
        "<li>The chat widget's own protocol (<code>POST /api/chat</code>, answers streamed as "
        "server-sent events): <code>docs/protocol.md</code> in chatbubble's source.</li>",
    ]
    if openai:
        items.append(
            f"<li>OpenAI-compatible: <code>{escape(base)}/v1/chat/completions</code>.</li>"
        )
    return "<h2>More</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>\n"
