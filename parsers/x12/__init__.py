"""X12: a streaming, tolerant reader, declarative transaction-set specifications and canonical documents."""
