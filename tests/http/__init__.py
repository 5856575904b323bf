"""Tests of backend/http/, one module per module there."""
