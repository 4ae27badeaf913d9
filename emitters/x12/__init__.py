"""X12 output: the segment and envelope writer (``writer``) and the acknowledgement builders (``acks``)."""
