"""The loaded configuration and the lookups of ingestion: which partner sent a file, what to watch."""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from pathlib import Path, PurePath, PurePosixPath
from types import MappingProxyType

from .errors import ConfigProblem, source_name
from .fields import absolute_under
from .partner import PartnerConfig
from .secret import SecretRef, check_secret
from .settings import GatewaySettings

__all__ = ["Configuration"]


class Configuration:
    """The gateway settings and every partner, valid as a whole (``load_configuration`` builds it)."""

    def __init__(
        self,
        settings: GatewaySettings,
        partners: Mapping[str, PartnerConfig],
        *,
        gateway_file: Path | None = None,
        partner_files: Mapping[str, Path] | None = None,
        value_sources: Mapping[str, str] | None = None,
    ):
        self.settings = settings
        self.partners: Mapping[str, PartnerConfig] = MappingProxyType(dict(sorted(partners.items())))
        self.gateway_file = gateway_file
        self.partner_files: Mapping[str, Path] = MappingProxyType(dict(partner_files or {}))
        # Dotted key -> "default", "environment" or a file name, for `config check --show`.
        self.value_sources: Mapping[str, str] = MappingProxyType(dict(value_sources or {}))
        self._by_sender: dict[tuple[str, str], PartnerConfig] = {}
        # Folder (relative to the inbox, "." for itself) -> (pattern, partner), catch-all "*" patterns last.
        self._by_folder: dict[str, list[tuple[str, PartnerConfig]]] = {}
        for partner in self.partners.values():
            if partner.x12 is not None:
                self._by_sender.setdefault((partner.x12.sender_qualifier, partner.x12.sender_id), partner)
            for channel in partner.local_channels():
                claims = self._by_folder.setdefault(channel.folder, [])
                claims.extend((pattern, partner) for pattern in channel.patterns)
        for claims in self._by_folder.values():
            claims.sort(key=lambda claim: claim[0] == "*")

    def partner_for_interchange(self, sender_qualifier: str, sender_id: str) -> PartnerConfig | None:
        """The partner whose ISA05/ISA06 these are (qualifier exact, id without its padding)."""
        return self._by_sender.get((sender_qualifier, sender_id.rstrip(" ")))

    def partner_for_path(self, relative_path: str | PurePath) -> PartnerConfig | None:
        """The partner whose local channel takes this file (relative to the inbox, or absolute inside it)."""
        path = PurePosixPath(PurePath(relative_path).as_posix())
        if path.is_absolute():
            try:
                path = PurePosixPath(path.relative_to(self.settings.paths.inbox.as_posix()))
            except ValueError:
                return None
        if ".." in path.parts or not path.name:
            return None
        for pattern, partner in self._by_folder.get(str(path.parent), ()):
            if fnmatchcase(path.name, pattern):
                return partner
        return None

    def local_folders(self) -> list[Path]:
        """Every folder to watch: the inbox, then each local channel's folder, each once."""
        inbox = self.settings.paths.inbox
        folders = [inbox, *(absolute_under(inbox, Path(folder)) for folder in self._by_folder)]
        return list(dict.fromkeys(folders))

    def secret_refs(self) -> dict[str, SecretRef]:
        """Dotted key -> reference of every secret the configuration names."""
        refs: dict[str, SecretRef] = {}
        for partner in self.partners.values():
            refs.update({ref.key: ref for ref in partner.secrets().values()})
        return refs

    def secret_problems(self, environ: Mapping[str, str] | None = None) -> list[ConfigProblem]:
        """Secrets that could not be resolved now: unset variables, missing or too open files."""
        problems = []
        for partner_id, partner in self.partners.items():
            source = self._source_name(self.partner_files.get(partner_id))
            for key, ref in partner.secrets().items():
                problem = check_secret(ref, environ)
                if problem is not None:
                    problems.append(ConfigProblem(source, f"partners.{partner_id}.{key}", problem))
        return problems

    @staticmethod
    def _source_name(path: Path | None) -> str:
        return source_name(path) if path is not None else "configuration"

    def __repr__(self) -> str:
        return f"Configuration(gateway_file={self.gateway_file!r}, partners={sorted(self.partners)!r})"
