"""Configuration: the gateway file, ``EDIGW_*`` environment overrides and one file per trading partner.

``load_configuration()`` finds and checks everything at once and returns a ``Configuration``; any mistake
anywhere raises ``ConfigurationProblems`` listing them all, each with its file and dotted key.
"""

from __future__ import annotations

from .configuration import Configuration
from .errors import ConfigProblem, ConfigurationProblems, SecretUnavailableError
from .loader import discover_gateway_file, load_configuration, load_partner_file
from .partner import (
    AcknowledgementPolicy,
    BankPartner,
    CatalogConfig,
    Channel,
    LocalChannel,
    OutboundSeparators,
    PartnerConfig,
    SftpChannel,
    X12Partner,
)
from .secret import SecretRef, check_secret, resolve_secret
from .settings import (
    GatewaySettings,
    IdentitySettings,
    IngestSettings,
    LoggingSettings,
    PathsSettings,
    mask_url,
)
from .vocabulary import DocumentKind

__all__ = [
    "AcknowledgementPolicy",
    "BankPartner",
    "CatalogConfig",
    "Channel",
    "ConfigProblem",
    "Configuration",
    "ConfigurationProblems",
    "DocumentKind",
    "GatewaySettings",
    "IdentitySettings",
    "IngestSettings",
    "LocalChannel",
    "LoggingSettings",
    "OutboundSeparators",
    "PartnerConfig",
    "PathsSettings",
    "SecretRef",
    "SecretUnavailableError",
    "SftpChannel",
    "X12Partner",
    "check_secret",
    "discover_gateway_file",
    "load_configuration",
    "load_partner_file",
    "mask_url",
    "resolve_secret",
]
