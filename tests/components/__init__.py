"""Tests of backend/components/, one module per module there."""
