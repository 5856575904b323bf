"""What the server records: the feedback log (thumbs and flags, one CSV row each).

It sits above ``chat`` because records are made of chat types (an answer's contents), and may
import ``chat``, ``components``, ``files`` and the bottom layer; never ``http`` or ``streams``.
"""
