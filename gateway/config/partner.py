"""One trading partner: a TOML file per partner in the partners folder, named after its id.

Every table refuses unknown keys, so a misspelt key is an error rather than a silently ignored setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from parsers.catalog import CatalogMapping
from parsers.x12.model import Separators

from .bank import BankPartner
from .catalog import CatalogConfig
from .fields import (
    EnvVarName,
    GsId,
    HomePath,
    IsaId,
    Patterns,
    Qualifier,
    X12Version,
    normalise_folder,
    usable_as_default,
)
from .secret import SecretRef
from .settings import IdentitySettings
from .vocabulary import (
    X12_DOCUMENT_KINDS,
    AfterDownload,
    Completion,
    DocumentKind,
    FunctionalAckPolicy,
    InterchangeAckPolicy,
    UploadStrategy,
    Usage,
    WhenToAcknowledge,
)

__all__ = [
    "CHANNEL_TYPES",
    "AcknowledgementPolicy",
    "BankPartner",
    "CatalogConfig",
    "Channel",
    "LocalChannel",
    "OutboundSeparators",
    "PartnerConfig",
    "SftpChannel",
    "X12Partner",
]

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_CRON_FIELD = re.compile(r"[0-9A-Za-z*/,?LW#-]+\Z")
CHANNEL_TYPES = ("local", "sftp")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_separator(value: str) -> str:
    if len(value) != 1 or value.isalnum() or value == " ":
        raise ValueError("a separator is one character, neither a letter, a digit nor a space")
    return value


Separator = Annotated[str, AfterValidator(_check_separator)]


class OutboundSeparators(_Table):
    """The delimiters of what we write to this partner."""

    element: Separator = "*"
    component: Separator = ":"
    segment: Separator = "~"
    repetition: Separator = "^"
    line_break: bool = True  # a newline after each segment terminator

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        chosen = {"element": self.element, "component": self.component, "segment": self.segment}
        chosen["repetition"] = self.repetition
        if len(set(chosen.values())) != len(chosen):
            raise ValueError("element, component, segment and repetition separators must all differ")
        return self

    def separators(self) -> Separators:
        return Separators(
            element=self.element, component=self.component, segment=self.segment, repetition=self.repetition
        )

    @property
    def suffix(self) -> str:
        """What follows each segment terminator."""
        return "\n" if self.line_break else ""


class X12Partner(_Table):
    """The partner's envelope ids and ours for this partner."""

    sender_qualifier: Qualifier  # ISA05 of what they send us
    sender_id: IsaId  # ISA06 of what they send us
    receiver_qualifier: Qualifier  # ISA07 they address us with; default: identity.qualifier
    receiver_id: IsaId  # ISA08; default: identity.id
    gs_sender: GsId  # GS02; default: sender_id
    gs_receiver: GsId  # GS03; default: receiver_id, or identity.gs_id when receiver_id is not set
    versions: list[X12Version] = Field(default_factory=lambda: ["004010", "005010"], min_length=1)
    usage: Usage = "P"
    outbound_separators: OutboundSeparators = Field(default_factory=OutboundSeparators)

    @model_validator(mode="before")
    @classmethod
    def _defaults_from_identity(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, Mapping):
            return data
        identity = (info.context or {}).get("identity")
        if not isinstance(identity, IdentitySettings):
            identity = IdentitySettings()
        filled = dict(data)
        filled.setdefault("receiver_qualifier", identity.qualifier)
        if "gs_receiver" not in filled:
            receiver = filled.get("receiver_id", identity.gs_id)
            filled["gs_receiver"] = receiver if usable_as_default(receiver) else identity.gs_id
        filled.setdefault("receiver_id", identity.id)
        if "gs_sender" not in filled:
            sender = filled.get("sender_id")
            # An invalid or missing sender_id is reported once, itself; the GS id then waits for it.
            filled["gs_sender"] = sender if usable_as_default(sender) else "XX"
        return filled

    @model_validator(mode="after")
    def _ids_avoid_separators(self) -> Self:
        separators = self.outbound_separators
        reserved = {separators.element, separators.component, separators.segment, separators.repetition}
        offending = [
            name
            for name in ("sender_id", "receiver_id", "gs_sender", "gs_receiver")
            if reserved.intersection(getattr(self, name))
        ]
        if offending:
            raise ValueError(f"{', '.join(offending)} contain an outbound separator")
        return self


class AcknowledgementPolicy(_Table):
    """Which acknowledgements we send for what the partner sends, and when."""

    functional: FunctionalAckPolicy = "auto"
    interchange: InterchangeAckPolicy = "requested"
    when: WhenToAcknowledge = "on_receipt"
    expect_within_minutes: int = Field(default=1440, gt=0)  # how long we wait for their ack of what we send


class LocalChannel(_Table):
    """Files the partner drops into a folder of the inbox."""

    type: Literal["local"]
    folder: Annotated[str, AfterValidator(normalise_folder)] = "."
    patterns: Patterns = Field(default_factory=lambda: ["*"])
    # When a file counts as complete: "stable" (size and time unchanged over ingest.settle_checks looks),
    # "rename" (the partner writes under a temporary name and renames: complete when it appears), or
    # "done-file" (only once its done-file, e.g. X.done, is there). A done-file always completes a file.
    completion: Completion = "stable"


class SftpChannel(_Table):
    """The partner's SFTP server (the transfer itself is a later issue: this is its schema)."""

    type: Literal["sftp"]
    host: str = Field(min_length=1, pattern=r"^[^\s/@]+$")
    port: int = Field(default=22, ge=1, le=65535)
    username: str = Field(min_length=1)
    key_file: HomePath | None = None  # private key; a secret file (mode 0600)
    key_passphrase_env: EnvVarName | None = None
    key_passphrase_file: HomePath | None = None
    password_env: EnvVarName | None = None
    password_file: HomePath | None = None
    known_hosts: HomePath
    remote_inbound: str | None = Field(default=None, min_length=1)  # where we download from
    remote_outbound: str | None = Field(default=None, min_length=1)  # where we upload to
    patterns: Patterns = Field(default_factory=lambda: ["*"])
    after_download: AfterDownload = "delete"
    remote_archive: str | None = Field(default=None, min_length=1)
    upload_strategy: UploadStrategy = "rename"
    connect_timeout_seconds: float = Field(default=30.0, gt=0)
    poll_cron: str | None = None
    poll_seconds: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = []
        if self.password_env is not None and self.password_file is not None:
            problems.append("give password_env or password_file, not both")
        if self.key_passphrase_env is not None and self.key_passphrase_file is not None:
            problems.append("give key_passphrase_env or key_passphrase_file, not both")
        if self.key_file is None and self.password_env is None and self.password_file is None:
            problems.append("key_file, password_env or password_file is required")
        if self.remote_inbound is None and self.remote_outbound is None:
            problems.append("remote_inbound, remote_outbound or both are required")
        if self.after_download == "move" and self.remote_archive is None:
            problems.append('remote_archive is required when after_download = "move"')
        if self.poll_cron is not None and self.poll_seconds is not None:
            problems.append("give poll_cron or poll_seconds, not both")
        if self.poll_cron is not None:
            fields = self.poll_cron.split()
            if len(fields) != 5 or not all(_CRON_FIELD.match(field) for field in fields):
                problems.append('poll_cron is a 5-field cron expression, e.g. "*/15 6-20 * * 1-5"')
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def secrets(self) -> dict[str, SecretRef]:
        """Name -> reference of each secret this channel uses (keys relative to the channel)."""
        found: dict[str, SecretRef] = {}
        for name in ("password", "key_passphrase"):
            env, file = getattr(self, f"{name}_env"), getattr(self, f"{name}_file")
            if env is not None or file is not None:
                found[name] = SecretRef(key=name, env=env, file=file)
        if self.key_file is not None:
            found["key_file"] = SecretRef(key="key_file", file=self.key_file)
        return found

    @property
    def poll_interval_seconds(self) -> float | None:
        """The polling interval, 300 seconds when neither poll_seconds nor poll_cron is given."""
        if self.poll_cron is not None:
            return None
        return self.poll_seconds if self.poll_seconds is not None else 300.0


Channel = Annotated[LocalChannel | SftpChannel, Field(discriminator="type")]


def _check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            "a partner id is lower-case letters, digits, - and _, starting with a letter or digit"
        )
    return value


class PartnerConfig(_Table):
    """One trading partner. Validation context: ``home`` (for relative paths) and ``identity``."""

    id: Annotated[str, AfterValidator(_check_slug)]
    name: str = Field(min_length=1)
    x12: X12Partner | None = None
    catalog: CatalogConfig | None = None  # how its catalog files are laid out
    bank: BankPartner | None = None  # the accounts it delivers statements for, when it is a bank
    acknowledgements: AcknowledgementPolicy = Field(default_factory=AcknowledgementPolicy)
    channels: list[Channel] = Field(default_factory=list)
    documents: list[DocumentKind] = Field(default_factory=list)  # empty: not restricted
    # Exactly what ``edi-gateway parse --guide`` reads; checked against the specifications on loading.
    companion_guide: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _tables_for_documents(self) -> Self:
        problems = []
        if self.x12 is None and X12_DOCUMENT_KINDS.intersection(self.documents):
            problems.append("an [x12] table is required for the X12 documents listed in documents")
        if self.catalog is None and DocumentKind.CATALOG in self.documents:
            problems.append('a [catalog] table is required when documents lists "catalog"')
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def catalog_mapping(self) -> CatalogMapping | None:
        """How to read this partner's catalog files; None when it has no [catalog] table."""
        return self.catalog.mapping() if self.catalog is not None else None

    def local_channels(self) -> list[LocalChannel]:
        return [channel for channel in self.channels if isinstance(channel, LocalChannel)]

    def secrets(self) -> dict[str, SecretRef]:
        """Dotted key (within the partner) -> reference, for every secret the partner's channels use."""
        found: dict[str, SecretRef] = {}
        for index, channel in enumerate(self.channels):
            if isinstance(channel, SftpChannel):
                for name, ref in channel.secrets().items():
                    key = f"channels[{index}].{name}"
                    found[key] = SecretRef(key=f"partners.{self.id}.{key}", env=ref.env, file=ref.file)
        return found
