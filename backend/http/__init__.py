"""Everything that speaks HTTP: the Quart app and its routes.

The app factory (``app.py``), the state every route reads (``state.py``), the route groups
(``*_routes.py``: widget assets, config, chat streams, files, feedback; the OpenAI facade, the
OpenAPI document), request parsing and body limits, CORS, the client's address behind proxies,
abuse limits (memory or Redis), gzip framing, and ``Client``, the Python client of this API.
It may import every layer below it: ``streams``, ``storage``, ``upstream``, ``chat``,
``components``, ``files`` and the bottom layer; only the entry points (``server``, ``loader``,
``demo``, ``cli``) and the public API (``backend/__init__.py``) import it.
"""
