"""Find, read and check the whole configuration, reporting every problem of every file at once.

Discovery of the gateway file: ``config_file`` (``--config``) > ``EDIGW_CONFIG`` >
``<home>/config/gateway.toml`` when it exists > none (the embedded default). ``home``: the argument >
``EDIGW_HOME`` > the file's ``home`` > the current directory. Partner files: ``*.toml`` in
``paths.partners_dir``, one per partner, named by its id.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import types
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_settings import SettingsError

from parsers.errors import ConfigurationError
from parsers.x12.spec import apply_companion_guide, available_specs, load_spec, version_family

from .configuration import Configuration
from .errors import ENVIRONMENT, ConfigProblem, ConfigurationProblems, source_name
from .fields import absolute_under
from .partner import CHANNEL_TYPES, PartnerConfig
from .secret import find_literal_secrets, literal_secret_message
from .settings import (
    ENV_NESTED_DELIMITER,
    ENV_PREFIX,
    GatewaySettings,
    IdentitySettings,
    MappingEnvSource,
    environment,
    url_has_password,
)

__all__ = ["DEFAULT_GATEWAY_FILE", "discover_gateway_file", "load_configuration", "load_partner_file"]

DEFAULT_GATEWAY_FILE = Path("config/gateway.toml")
DEFAULT_PARTNERS_DIR = Path("config/partners")
CONFIG_VARIABLE = ENV_PREFIX + "CONFIG"
PARTNERS_DIR_KEY = ("paths", "partners_dir")
DEFAULT = "default"
ARGUMENT = "argument"

Loc = tuple[str | int, ...]


def discover_gateway_file(
    *, home: Path, config_file: Path | None, environ: Mapping[str, str], problems: list[ConfigProblem]
) -> Path | None:
    """The gateway file to read, or None for the embedded default; a named file missing is a problem."""
    named = config_file if config_file is not None else environ.get(CONFIG_VARIABLE) or None
    if named is not None:
        path = absolute_under(Path.cwd(), Path(named))
        if not path.is_file():
            source = "--config" if config_file is not None else ENVIRONMENT
            key = "" if config_file is not None else CONFIG_VARIABLE
            problems.append(ConfigProblem(source, key, f"no gateway file at {path}"))
            return None
        return path
    default = home / DEFAULT_GATEWAY_FILE
    return default if default.is_file() else None


def load_configuration(
    *, home: Path | None = None, config_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> Configuration:
    """The whole configuration, checked. Raises ConfigurationProblems listing every problem found."""
    variables = dict(os.environ if environ is None else environ)
    if home is not None:  # the argument wins over everything, as the environment does over the file
        variables[ENV_PREFIX + "HOME"] = str(home)
    problems: list[ConfigProblem] = []
    variables, env_data = _environment_data(variables, problems)
    start_home = absolute_under(Path.cwd(), Path(str(env_data.get("home") or ".")))
    gateway_file = discover_gateway_file(
        home=start_home, config_file=config_file, environ=variables, problems=problems
    )
    file_source = source_name(gateway_file) if gateway_file is not None else DEFAULT
    file_data = _gateway_file_data(gateway_file, file_source, problems)
    partners_dir_source = (
        ENVIRONMENT
        if _present(env_data, PARTNERS_DIR_KEY)
        else file_source
        if _present(file_data, PARTNERS_DIR_KEY)
        else None
    )
    defaulted: set[str] = set()
    if gateway_file is not None and partners_dir_source is None:
        defaulted = _partners_beside(gateway_file, file_data)

    settings = _validate_settings(file_data, variables, env_data, file_source, problems)
    if settings is not None:
        for name, message in settings.paths.overlaps():
            where = ENVIRONMENT if _present(env_data, ("paths", name)) else file_source
            problems.append(ConfigProblem(where, f"paths.{name}", message))
        home_path, identity = settings.home, settings.identity
        partners_dir = settings.paths.partners_dir
    else:
        home_path, identity, partners_dir = _fallbacks(file_data, env_data, gateway_file)

    context = {"home": home_path, "identity": identity}
    partners, partner_files, raw_partners = _load_partners(
        partners_dir, partners_dir_source, context, problems
    )
    problems.extend(_cross_file_problems(partners, partner_files))
    if problems:
        raise ConfigurationProblems(problems)
    assert settings is not None  # invalid settings are problems
    sources = _settings_sources(settings, file_data, env_data, file_source, defaulted, home is not None)
    for partner_id, raw in raw_partners.items():
        effective = partners[partner_id].model_dump(mode="json", by_alias=True)
        source = source_name(partner_files[partner_id])
        sources.update(_value_sources(effective, raw, source, f"partners.{partner_id}."))
    return Configuration(
        settings, partners, gateway_file=gateway_file, partner_files=partner_files, value_sources=sources
    )


# --- Reading ------------------------------------------------------------------------------------------------


def _read_toml(path: Path, source: str, key: str, problems: list[ConfigProblem]) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line L, column C)": where the operator should look.
        problems.append(ConfigProblem(source, key, f"not valid TOML: {error}"))
    except OSError as error:
        problems.append(ConfigProblem(source, key, f"cannot be read ({error.strerror})"))
    return {}


def _gateway_file_data(path: Path | None, source: str, problems: list[ConfigProblem]) -> dict[str, Any]:
    """The gateway file's values, without those reported as problems here (the rest is still checked)."""
    if path is None:
        return {}
    data = _read_toml(path, source, "", problems)
    _drop_literal_secrets(data, source, "", problems)
    for key in [key for key in data if key.startswith("_")]:
        # GatewaySettings takes the file as keyword arguments, where _-names are pydantic-settings options.
        problems.append(ConfigProblem(source, key, "unknown key"))
        del data[key]
    database_url = data.get("database_url")
    if isinstance(database_url, str) and url_has_password(database_url):
        message = (
            "a password is never written in a configuration file: set EDIGW_DATABASE_URL in the "
            "environment instead, or leave it out of the URL (PostgreSQL reads ~/.pgpass)"
        )
        problems.append(ConfigProblem(source, "database_url", message))
        del data["database_url"]
    return data


def _partners_beside(gateway_file: Path, file_data: dict[str, Any]) -> set[str]:
    """Default the partners folder to ``partners/`` beside the gateway file; the keys so defaulted."""
    paths = file_data.setdefault("paths", {})
    if not isinstance(paths, dict):
        return set()  # reported when the settings are checked
    paths["partners_dir"] = str(gateway_file.parent / "partners")
    return {"paths.partners_dir"}


def _drop_literal_secrets(
    data: dict[str, Any], source: str, prefix: str, problems: list[ConfigProblem]
) -> None:
    """Report every literal secret and remove it, so that the rest of the file is still checked."""
    for dotted, bare in list(find_literal_secrets(data)):
        problems.append(ConfigProblem(source, prefix + dotted, literal_secret_message(bare)))
        _remove(data, dotted)


def _remove(data: Any, dotted: str) -> None:
    parts = [part for part in re.split(r"\.|\[(\d+)\]", dotted) if part]
    for part in parts[:-1]:
        data = data[int(part)] if isinstance(data, list) else data[part]
    del data[parts[-1]]


def _environment_data(
    environ: dict[str, str], problems: list[ConfigProblem]
) -> tuple[dict[str, str], dict[str, Any]]:
    """The environment without the variables that cannot be parsed (reported), and its ``EDIGW_*``
    overrides as nested values, the way GatewaySettings reads them."""
    while True:
        try:
            return environ, dict(MappingEnvSource(GatewaySettings, environ)())
        except SettingsError as error:
            # Only a whole table given as JSON (EDIGW_INGEST='{...}') is decoded here; leave it out.
            field = re.search(r'field "([^"]+)"', str(error))
            variable = ENV_PREFIX + (field.group(1) if field else "").upper()
            problems.append(ConfigProblem(ENVIRONMENT, variable, "expected a JSON object"))
            remaining = {name: value for name, value in environ.items() if name.upper() != variable}
            if field is None or len(remaining) == len(environ):
                return {}, {}
            environ = remaining


def _validate_settings(
    file_data: dict[str, Any],
    environ: Mapping[str, str],
    env_data: Mapping[str, Any],
    file_source: str,
    problems: list[ConfigProblem],
) -> GatewaySettings | None:
    try:
        with environment(environ):
            return GatewaySettings(**file_data)
    except ValidationError as error:
        for line in error.errors(include_url=False, include_input=False):
            loc = _clean_loc(line["loc"])
            message = _message(line, GatewaySettings)
            if _present(env_data, loc):
                variable = ENV_PREFIX + ENV_NESTED_DELIMITER.join(str(part).upper() for part in loc)
                problems.append(ConfigProblem(ENVIRONMENT, _dotted(loc), f"{variable}: {message}"))
            else:
                problems.append(ConfigProblem(file_source, _dotted(loc), message))
    return None


def _fallbacks(
    file_data: Mapping[str, Any], env_data: Mapping[str, Any], gateway_file: Path | None
) -> tuple[Path, IdentitySettings, Path]:
    """Home, identity and partners folder from invalid settings, as well as can be, to check partners too."""
    home_value = env_data.get("home", file_data.get("home", "."))
    home = absolute_under(Path.cwd(), Path(home_value if isinstance(home_value, str) else "."))
    identity_data = {**_table(file_data, "identity"), **_table(env_data, "identity")}
    try:
        identity = IdentitySettings.model_validate(identity_data)
    except ValidationError:
        identity = IdentitySettings()
    named = _table(env_data, "paths").get("partners_dir", _table(file_data, "paths").get("partners_dir"))
    if isinstance(named, str):
        partners_dir = absolute_under(home, Path(named))
    elif gateway_file is not None:
        partners_dir = gateway_file.parent / "partners"
    else:
        partners_dir = home / DEFAULT_PARTNERS_DIR
    return home, identity, partners_dir


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return dict(value) if isinstance(value, Mapping) else {}


def _load_partners(
    folder: Path, named_in: str | None, context: dict[str, Any], problems: list[ConfigProblem]
) -> tuple[dict[str, PartnerConfig], dict[str, Path], dict[str, dict[str, Any]]]:
    partners: dict[str, PartnerConfig] = {}
    files: dict[str, Path] = {}
    raw_partners: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        if named_in is not None:
            problems.append(ConfigProblem(named_in, "paths.partners_dir", f"no partners folder at {folder}"))
        return partners, files, raw_partners
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        before = len(problems)
        partner, data = _read_partner(path, context, problems)
        if partner is None:
            continue
        if partner.id in partners:
            problems.append(
                ConfigProblem(
                    source_name(path), f"partners.{path.stem}.id", f"partner {partner.id} is defined twice"
                )
            )
        elif len(problems) == before:
            partners[partner.id] = partner
            files[partner.id] = path
            raw_partners[partner.id] = data
    return partners, files, raw_partners


def _read_partner(
    path: Path, context: dict[str, Any], problems: list[ConfigProblem]
) -> tuple[PartnerConfig | None, dict[str, Any]]:
    """One partner file checked on its own (problems appended); None when it is not a valid partner."""
    source, stem = source_name(path), path.stem
    prefix = f"partners.{stem}"
    before = len(problems)
    data = _read_toml(path, source, prefix, problems)
    if len(problems) > before:
        return None, data  # nothing to check in a file that cannot be read
    _drop_literal_secrets(data, source, prefix + ".", problems)
    try:
        partner = PartnerConfig.model_validate(data, context=context)
    except ValidationError as error:
        for line in error.errors(include_url=False, include_input=False):
            key = _dotted(_clean_loc(line["loc"]))
            problems.append(ConfigProblem(source, f"{prefix}.{key}" if key else prefix, _message(line)))
        return None, data
    if partner.id != stem:
        problems.append(ConfigProblem(source, f"{prefix}.id", f'must equal the file name: "{stem}"'))
        return None, data
    return partner, data


def load_partner_file(path: Path, *, home: Path | None = None) -> PartnerConfig:
    """One partner file, checked as ``load_configuration`` checks it (for ``parse --mapping``).

    Relative paths in it are taken against ``home`` (default: the current directory), and its X12 ids
    default to the embedded identity. Raises ConfigurationProblems listing every problem found."""
    problems: list[ConfigProblem] = []
    context = {"home": home if home is not None else Path.cwd(), "identity": IdentitySettings()}
    partner, _ = _read_partner(path, context, problems)
    if partner is not None:
        problems.extend(_guide_problems(partner, source_name(path)))
    if problems or partner is None:
        raise ConfigurationProblems(problems)
    return partner


# --- Checks across files ------------------------------------------------------------------------------------


def _cross_file_problems(
    partners: Mapping[str, PartnerConfig], files: Mapping[str, Path]
) -> Iterator[ConfigProblem]:
    senders: dict[tuple[str, str], str] = {}
    claims: dict[tuple[str, str], str] = {}
    banks: dict[str, str] = {}  # account -> the partner delivering its statements
    for partner_id, partner in partners.items():
        source = source_name(files[partner_id])
        for index, account in enumerate(partner.bank.accounts if partner.bank is not None else ()):
            bank = banks.setdefault(account, partner_id)
            if bank != partner_id:
                yield ConfigProblem(
                    source,
                    f"partners.{partner_id}.bank.accounts[{index}]",
                    f"partner {bank} delivers the statements of this account already",
                )
        if partner.x12 is not None:
            sender = (partner.x12.sender_qualifier, partner.x12.sender_id)
            if sender in senders:
                yield ConfigProblem(
                    source,
                    f"partners.{partner_id}.x12.sender_id",
                    f"partner {senders[sender]} has the same sender qualifier and id",
                )
            else:
                senders[sender] = partner_id
        for index, channel in enumerate(partner.channels):
            if channel.type != "local":
                continue
            for pattern in channel.patterns:
                claim = (channel.folder, pattern)
                owner = claims.setdefault(claim, partner_id)
                if owner != partner_id:
                    yield ConfigProblem(
                        source,
                        f"partners.{partner_id}.channels[{index}]",
                        f'partner {owner} already takes pattern "{pattern}" in folder "{channel.folder}"',
                    )
        yield from _guide_problems(partner, source)


def _guide_problems(partner: PartnerConfig, source: str) -> Iterator[ConfigProblem]:
    """Each companion guide applied to the specifications of the partner's versions, as the parser will."""
    shipped = available_specs()
    families = (
        {version_family(version) for version in partner.x12.versions} if partner.x12 is not None else None
    )
    for set_id, guide in partner.companion_guide.items():
        key = f"partners.{partner.id}.companion_guide.{set_id}"
        specs = [family for known_set, family in shipped if known_set == set_id]
        if not specs:
            known = ", ".join(sorted({known_set for known_set, _ in shipped}))
            yield ConfigProblem(
                source, key, f"no specification for transaction set {set_id} (known: {known})"
            )
            continue
        messages: dict[str, None] = {}
        for family in specs:
            if families is not None and family not in families:
                continue
            spec = load_spec(set_id, family)
            if spec is None:
                continue
            try:
                apply_companion_guide(spec, guide)
            except ConfigurationError as error:
                messages[error.message] = None
        for message in messages:
            yield ConfigProblem(source, key, message)


# --- Messages -----------------------------------------------------------------------------------------------


def _clean_loc(loc: Sequence[str | int]) -> Loc:
    """A validation location without the tags pydantic inserts for tagged unions (``channels.0.sftp``)."""
    cleaned: list[str | int] = []
    for index, part in enumerate(loc):
        if index > 0 and isinstance(loc[index - 1], int) and part in CHANNEL_TYPES:
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(line: Mapping[str, Any], root: type[BaseModel] = PartnerConfig) -> str:
    kind, loc = line["type"], tuple(line["loc"])
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        name = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f"unknown key{hint}; expected one of: {', '.join(allowed)}" if allowed else "unknown key"
    if kind == "missing":
        return "required"
    if kind == "union_tag_not_found":
        return 'type is required: "local" or "sftp"'
    if kind == "union_tag_invalid":
        return 'type must be "local" or "sftp"'
    message = str(line["msg"])
    return message.removeprefix("Value error, ")


def _allowed_keys(root: type[BaseModel], loc: Loc) -> list[str]:
    model = _model_at(root, loc)
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [member for member in get_args(annotation) if member is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model whose keys sit at ``loc`` (tags of tagged unions included, as pydantic reports them)."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = current.model_fields
            match = next((f for n, f in fields.items() if part in (n, f.alias)), None)
            if match is None:
                return None
            current = match.annotation
        elif get_origin(current) in (list, dict):
            current = get_args(current)[-1]
        elif get_origin(current) in (Union, types.UnionType):
            tagged = [
                member
                for member in map(_unwrap, get_args(current))
                if isinstance(member, type)
                and issubclass(member, BaseModel)
                and "type" in member.model_fields
                and part in get_args(member.model_fields["type"].annotation)
            ]
            if not tagged:
                return None
            current = tagged[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


# --- Where each value comes from ----------------------------------------------------------------------------


def _present(data: Any, loc: Sequence[str | int]) -> bool:
    for part in loc:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return False
        elif not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return True


def _leaves(data: Any, loc: Loc = ()) -> Iterator[Loc]:
    if isinstance(data, Mapping) and data:
        for key, value in data.items():
            yield from _leaves(value, (*loc, key))
    elif isinstance(data, list) and data and all(isinstance(item, Mapping) for item in data):
        for index, item in enumerate(data):
            yield from _leaves(item, (*loc, index))
    else:
        yield loc


def _value_sources(effective: Any, raw: Any, source: str, prefix: str) -> dict[str, str]:
    return {prefix + _dotted(loc): source if _present(raw, loc) else DEFAULT for loc in _leaves(effective)}


def _settings_sources(
    settings: GatewaySettings,
    file_data: Mapping[str, Any],
    env_data: Mapping[str, Any],
    file_source: str,
    defaulted: set[str],
    home_argument: bool,
) -> dict[str, str]:
    sources: dict[str, str] = {}
    for loc in _leaves(settings.model_dump(mode="json", by_alias=True)):
        key = _dotted(loc)
        if _present(env_data, loc):
            sources[key] = ENVIRONMENT
        elif _present(file_data, loc) and key not in defaulted:
            sources[key] = file_source
        else:
            sources[key] = DEFAULT
    if home_argument:
        sources["home"] = ARGUMENT
    return sources
