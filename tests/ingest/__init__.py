"""Ingestion tests (issue 3): the pipeline, crash safety, slow writers, bursts, a locked database, a full
disk and ``edi-gateway run``, on the real filesystem, with real watchdog observers and real subprocesses."""
