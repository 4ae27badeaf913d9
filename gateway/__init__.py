"""The edi-gateway service: channels, pipeline, staging database, Odoo client, matching, scheduler and CLI."""

__version__ = "0.1.0"
