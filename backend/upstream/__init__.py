"""Chats answered by a model server: ``load_chat`` and anything that calls one.

A ``ChatInterface`` whose function sends the conversation to an OpenAI-compatible server and
streams its answer back. It may import ``chat``, ``components``, ``files`` and the bottom layer;
never ``http``, ``streams`` or ``storage``.
"""
