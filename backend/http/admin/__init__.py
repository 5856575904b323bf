"""The operator console at ``/admin`` (on with ``admin_password`` or ``admin_tokens``): a
login (``keys``, ``session``), the overview with charts (``overview``), the transcripts list
with filters (``filters``, ``pages``), one transcript (``transcript_page``), delete, and the
export as CSV or JSONL (``export``, also ``backend export``). Routes in ``routes``; the pages'
shell and CSP in ``html``."""

from __future__ import annotations

from .keys import AdminKeys as AdminKeys
from .routes import admin_blueprint as admin_blueprint
from .session import AdminSession as AdminSession
