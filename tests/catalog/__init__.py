"""Tests of the CSV catalog reader (parsers/catalog)."""
