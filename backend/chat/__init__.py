"""The chat model, with no HTTP in it.

``ChatInterface`` (``interface.py``) and the checks of its arguments (``arguments.py``), the
one place that knows the chat function's four shapes (``run.py``), what a function may reply
and how an answer is made of parts (``replies``, ``answers``, ``ChatMessage``), examples and
their cache, what a turn does besides running the function (``turns``: a cached example's
answer, the cache filled and the conversation signed when an answer ends), additional outputs,
signed message ids, the layout the widget draws, the ``validator`` and ``validate``
(``validation``), ``gr.Request`` and where the function takes it (``request``), ``gr.State``
values per conversation (``states``), the gate of ``concurrency_limit`` (``concurrency``: who
runs, who waits in line), and the hooks through which an interface is served, with the
interfaces an app file made (``hosting``).
It may import ``components``, ``files`` and the bottom layer (``settings``, ``errors``,
``version``); never ``http``, ``streams``, ``storage``, ``upstream`` or the entry points.
"""
