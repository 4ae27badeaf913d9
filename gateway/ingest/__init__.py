"""Ingestion: a complete file in, staged exactly once, acknowledged, archived or quarantined.

``Ingestor.ingest`` runs the steps for one file in the order that makes a crash at any point harmless
(``pipeline``); ``recover`` finishes what a crash left half-done (``recovery``); ``storage`` holds the file
moves and atomic writes they rely on.
"""
