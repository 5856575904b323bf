"""Renders the OpenAPI document to ``docs/api.md``: ``python -m backend.http.api_docs docs/api.md``
(``make docs``); a test fails when the file is out of date."""

from __future__ import annotations

import json
import sys
from typing import Any

from .openapi import openapi_document

EXAMPLES = """\
## Examples

The server in these examples runs at `http://127.0.0.1:8000` (`backend serve app.py`).

### Non-streaming: `/v1/chat/completions`

```sh
curl -s http://127.0.0.1:8000/v1/chat/completions \\
  -H 'Content-Type: application/json' \\
  -d '{"model": "any", "messages": [{"role": "user", "content": "Hello"}]}'
```

```json
{"id": "chatcmpl-…", "object": "chat.completion", "created": 1764150000, "model": "any",
 "choices": [{"index": 0, "message": {"role": "assistant", "content": "…"},
              "finish_reason": "stop", "logprobs": null}],
 "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}
```

With `api_key` set, add `-H 'Authorization: Bearer KEY'`. Any OpenAI SDK works the same way:

```python
from openai import OpenAI

client = OpenAI(base_url="http://127.0.0.1:8000/v1", api_key="KEY or anything")
answer = client.chat.completions.create(
    model="any", messages=[{"role": "user", "content": "Hello"}]
)
print(answer.choices[0].message.content)
```

### Streaming: `/v1/chat/completions` with `"stream": true`

```sh
curl -sN http://127.0.0.1:8000/v1/chat/completions \\
  -H 'Content-Type: application/json' \\
  -d '{"model": "any", "stream": true, "messages": [{"role": "user", "content": "Hello"}]}'
```

```text
(each event's data is one line; wrapped here)

data: {"id":"chatcmpl-…","object":"chat.completion.chunk",…,"choices":[{"index":0,
"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {…,"choices":[{"index":0,"delta":{"content":"You typed: H"},"finish_reason":null}]}

data: {…,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

data: [DONE]
```

### Streaming: `/api/chat`, the widget's own route

```sh
curl -sN http://127.0.0.1:8000/api/chat \\
  -H 'Content-Type: application/json' \\
  -d '{"message": "And what is its largest city?",
       "history": [{"role": "user", "content": "What is the capital of France?"},
                   {"role": "assistant", "content": "Paris"}]}'
```

```text
event: start
id: 0
data: {"protocol":1,"stream":"Zp3kq2Vx0aB1cD2eF3gH4i"}

id: 1
data: {"append":"Paris is also"}

id: 2
data: {"append":" the largest city."}

event: done
id: 3
data: {}
```

Read it line by line: keep the answer text, add each `append`, set it to each `replace`; stop
at `event: done` (the answer is complete) or `event: error` (its data is an error envelope,
`{"ok": false, "status", "code", "error"}`). A stream that ends without either was cut.
Closing the connection is Stop. The server gzips the stream when the client sends
`Accept-Encoding: gzip` (curl: `--compressed`).

With files (multimodal apps), upload each one first and send the ids:

```sh
curl -s 'http://127.0.0.1:8000/api/upload?name=cat.png' --data-binary @cat.png \\
  -H 'Content-Type: image/png'
# {"id": "Xq3…", "name": "cat.png", "size": 48213, "mime": "image/png", "kind": "image", …}
curl -sN http://127.0.0.1:8000/api/chat -H 'Content-Type: application/json' \\
  -d '{"message": {"text": "What is this?", "files": ["Xq3…"]}}'
```

From Python, `backend.Client` does all this (see the README, "API for programs").
"""


def render(document: dict[str, Any]) -> str:
    """The document as markdown: the routes, the examples, then every schema."""
    lines = [
        "# HTTP API",
        "",
        "<!-- Generated from backend/http/openapi.py by `make docs`; do not edit by hand. -->",
        "",
        document["info"]["description"],
        f"The same document is served at `GET /openapi.json` (OpenAPI {document['openapi']}).",
        "",
        "## Routes",
        "",
    ]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            lines += [f"### `{method.upper()} {path}`", "", operation["summary"] + ".", ""]
            if "description" in operation:
                lines += [operation["description"], ""]
            if "security" in operation:
                lines += ["Needs `Authorization: Bearer <api_key>` when `api_key` is set.", ""]
            for parameter in operation.get("parameters", []):
                lines.append(
                    f"- {parameter['in']} parameter `{parameter['name']}`"
                    + (f": {parameter['description']}" if "description" in parameter else "")
                )
            body = operation.get("requestBody")
            if body:
                lines.append(f"- request: {_content(body['content'])}")
            for status, response in operation["responses"].items():
                content = response.get("content")
                shown = f" ({_content(content)})" if content else ""
                lines.append(f"- `{status}`{shown}: {response['description']}")
            lines.append("")
    lines += [EXAMPLES, "## Schemas", ""]
    for name, schema in document["components"]["schemas"].items():
        lines += [f"### {name}", ""]
        if "description" in schema:
            lines += [schema["description"], ""]
        if "oneOf" in schema:
            lines += ["One of: " + ", ".join(_type(choice) for choice in schema["oneOf"]), ""]
            continue
        required = set(schema.get("required", []))
        lines += ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
        for field, spec in schema.get("properties", {}).items():
            mark = "yes" if field in required else ""
            meaning = spec.get("description", "").replace("|", "\\|")
            lines.append(f"| `{field}` | {_type(spec)} | {mark} | {meaning} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _content(content: dict[str, Any]) -> str:
    return ", ".join(
        f"`{mime}` {_type(media['schema'])}".rstrip() for mime, media in content.items()
    )


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[1]
        return f"[{name}](#{name.lower()})"
    if "oneOf" in spec:
        return " or ".join(_type(option) for option in spec["oneOf"])
    if "const" in spec:
        return f"`{json.dumps(spec['const'])}`"
    if "enum" in spec:
        return " / ".join(f"`{json.dumps(value)}`" for value in spec["enum"])
    kind = spec.get("type")
    if kind == "array":
        return f"array of {_type(spec.get('items', {}))}"
    if isinstance(kind, list):
        return " or ".join(kind)
    return str(kind or "")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render(openapi_document())
    if not args:
        sys.stdout.write(text)
        return 0
    with open(args[0], "w", encoding="utf-8") as file:
        file.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
