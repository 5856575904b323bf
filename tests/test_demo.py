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
        index = await client.get("/")
        assert index.status_code == 200
        page = await index.get_data(as_text=True)
        assert '<script src="/widget.js" async></script>' in page and 'href="about.html"' in page
        about = await client.get("/about.html")
        assert 'href="index.html"' in await about.get_data(as_text=True)
        assert (await client.get("/site.css")).status_code == 200
        assert (await client.get("/missing.html")).status_code == 404
        response = await client.post(
            "/api/chat",
            data=json.dumps({"message": "table", "history": []}),
            headers={"Content-Type": "application/json"},
        )
        events = parse_events(await response.get_data(as_text=False))
    assert events[-1].event == "done"
    assert "| requests per message | 1 | 10 |" in answer_text(events)
