"""Tests of backend/chat/, one module per module there."""
