"""Tests of backend/files/, one module per module there."""
