"""Tests of backend/storage/, one module per module there."""
