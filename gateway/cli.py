"""The ``edi-gateway`` command line."""

from __future__ import annotations

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edi-gateway")
def main() -> None:
    """edi-gateway: X12 EDI, bank statements and supplier catalogs in and out of Odoo."""
