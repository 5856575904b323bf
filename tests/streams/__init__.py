"""Tests of backend/streams/, one module per module there."""
