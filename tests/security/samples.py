"""Small files of each type, and a helper to upload them."""

from __future__ import annotations

from tests.security.harness import Resp, Server, check, request

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # noqa: E501
GIF_JS = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;alert(1);//"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><script>alert(document.domain)</script></html>"
JS = b"alert(document.cookie);\n"
TEXT = b"plain text\n"
PNG_HTML = PNG + b"<html><script>alert(1)</script></html>"

SAMPLES: dict[str, tuple[str, bytes, str]] = {
    "png": ("a.png", PNG, "image/png"),
    "gif": ("a.gif", GIF, "image/gif"),
    "jpeg": ("a.jpg", JPEG, "image/jpeg"),
    "pdf": ("a.pdf", PDF, "application/pdf"),
    "svg": ("a.svg", SVG, "image/svg+xml"),
    "html": ("a.html", HTML, "text/html"),
    "htm": ("a.htm", HTML, "text/html"),
    "xhtml": ("a.xhtml", HTML, "application/xhtml+xml"),
    "xml": ("a.xml", b'<?xml version="1.0"?><x>&ent;</x>', "text/xml"),
    "js": ("a.js", JS, "text/javascript"),
    "mjs": ("a.mjs", JS, "text/javascript"),
    "php": ("a.php", b"<?php system($_GET['c']); ?>", "application/x-php"),
    "py": ("a.py", b"import os; os.system('id')\n", "text/x-python"),
    "sh": ("a.sh", b"#!/bin/sh\nrm -rf /\n", "application/x-sh"),
    "exe": ("a.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/x-msdownload"),
    "htaccess": (".htaccess", b"AddType application/x-httpd-php .png\n", "text/plain"),
    "txt": ("a.txt", TEXT, "text/plain"),
    "gif-js-polyglot": ("a.gif", GIF_JS, "image/gif"),
    "png-html-polyglot": ("a.png", PNG_HTML, "image/png"),
}


def upload(
    server: Server, name: str, data: bytes, ctype: str = "application/octet-stream", **kw: str
) -> Resp:
    from urllib.parse import quote

    query = "name=" + quote(name, safe="")
    for key, value in kw.items():
        query += f"&{key}={quote(value, safe='')}"
    return check(
        request(server, "POST", "/api/upload?" + query, data, {"Content-Type": ctype}),
        what="upload",
    )
