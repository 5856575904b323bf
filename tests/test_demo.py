from __future__ import annotations

import json

from backend import Settings, create_app
from backend.demo import demo, site_dir
from tests.helpers import answer_text, parse_events


async def test_demo_bot_and_site() -> None:
    site = site_dir()
    assert site is not None
    app = create_app(demo, Settings(flush_interval=0), site_dir=site)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        index = await client.get("/demo/")
        assert index.status_code == 200
        page = await index.get_data(as_text=True)
        assert '<script src="../widget.js" async></script>' in page and 'href="about.html"' in page
        moved = await client.get("/demo")
        assert (moved.status_code, moved.headers["Location"]) == (308, "demo/")
        about = await client.get("/demo/about.html")
        assert 'href="index.html"' in await about.get_data(as_text=True)
        assert (await client.get("/demo/site.css")).status_code == 200
        assert (await client.get("/demo/missing.html")).status_code == 404
        assert (await client.get("/demo/..%2Fpyproject.toml")).status_code == 404
        # The old places are gone; the chat itself is the page at /.
        assert (await client.get("/about.html")).status_code == 404
        chat = await (await client.get("/")).get_data(as_text=True)
        assert "<title>chatbubble demo</title>" in chat and 'data-mode="inline"' in chat
        response = await client.post(
            "/api/chat",
            data=json.dumps({"message": "table", "history": []}),
            headers={"Content-Type": "application/json"},
        )
        events = parse_events(await response.get_data(as_text=False))
    assert events[-1].event == "done"
    assert "| requests per message | 1 | 10 |" in answer_text(events)
