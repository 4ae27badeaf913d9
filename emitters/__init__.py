"""Canonical documents and acknowledgements out to bytes: the outbound side of the gateway.

A pure library like ``parsers``: no database, network, clock or ``gateway`` import; dates, times and control
numbers are handed in by the caller.
"""
