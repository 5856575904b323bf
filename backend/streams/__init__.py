"""Answers as event streams, and answers that outlive their response.

``events.py`` turns reply snapshots into the server-sent events a client reads (diffs, pacing,
keep-alives, limits), ``sse.py`` frames one event, ``live_streams.py`` keeps an answer running
for readers that come back (reattach, grace period, Stop) in memory, ``redis_hub.py`` does the
same through Redis for several workers, and ``stream_slots.py`` counts a client's open answers.
It may import ``chat``, ``components``, ``files`` and the bottom layer; never ``http``.
"""
