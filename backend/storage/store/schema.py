"""The store's tables, in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

Times are UTC epoch seconds (``Double``) and ``day`` the UTC date as text, so grouping by day
and ranges read the same on both engines. Content parts and feedback conversations are JSON
text. ``user_id`` is the verified user (``sub`` or login), ``visitor`` the client's anonymous
id; there is no column for an IP address.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Double,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

ID = 64  # conversation, visitor and message ids: 8 to 64 characters
NAME = 255

schema_version = Table(
    "chatbubble_schema",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("user_id", String(NAME), nullable=False, default=""),
    Column("visitor", String(ID), nullable=False, default=""),
    Column("page_url", Text, nullable=False, default=""),
    #: The first visitor message (200 characters), only with store_transcripts.
    Column("title", Text, nullable=False, default=""),
    Column("started", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index("conversations_updated", "updated"),
    Index("conversations_user", "user_id", "updated"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("conversation_id", String(ID), nullable=False),
    Column("role", String(16), nullable=False),
    Column("parts", Text, nullable=False),
    #: The text parts, joined: what the console's search looks in.
    Column("text", Text, nullable=False, default=""),
    Column("message_id", String(ID), nullable=False, default=""),
    Column("queued", Double),
    Column("first_token", Double),
    Column("finished", Double),
    Column("error", Text, nullable=False, default=""),
    Column("at", Double, nullable=False),
    Column("day", String(10), nullable=False),
    Index("messages_conversation", "conversation_id", "id"),
    Index("messages_day", "day"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("conversation_id", String(ID), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("target", String(16), nullable=False),
    Column("flag", Text, nullable=False),
    #: up, down, flag or none (from the flag, for the filters and charts).
    Column("rating", String(8), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    #: The messages up to the flagged one, as the CSV's first column (JSON).
    Column("conversation", Text, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("visitor", String(ID), nullable=False, default=""),
    Column("user_id", String(NAME), nullable=False, default=""),
    Column("page_url", Text, nullable=False, default=""),
    Column("at", Double, nullable=False),
    Column("day", String(10), nullable=False),
    Index("feedback_conversation", "conversation_id", "id"),
    Index("feedback_day", "day"),
    Index("feedback_message", "message_id", "visitor"),
)

files = Table(
    "files",
    metadata,
    Column("id", String(NAME), primary_key=True),
    Column("name", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("mime", String(NAME), nullable=False),
    Column("conversation_id", String(ID), nullable=False, default=""),
    Column("at", Double, nullable=False),
    Index("files_conversation", "conversation_id"),
)

#: The tables that hang off a conversation (deleted with it).
CHILDREN = (messages, feedback, files)
