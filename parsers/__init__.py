"""Pure parsers: bytes in, canonical documents out. No I/O beyond the stream handed in, no clock."""
