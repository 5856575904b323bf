"""Tests of backend/upstream/, one module per module there."""
