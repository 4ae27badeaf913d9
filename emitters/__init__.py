"""Pure library: canonical documents -> bytes (X12 writer, acknowledgements)."""
