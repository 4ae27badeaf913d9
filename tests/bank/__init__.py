"""Bank statement parsers: one module per format, each with its corpus suite and specific tests."""
