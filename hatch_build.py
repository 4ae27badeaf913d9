"""Build hook: compile the X12 hot path with mypyc, and fall back to pure Python when that is not possible.

The modules listed under ``[tool.hatch.build.targets.wheel.hooks.custom] compiled`` in pyproject.toml are
ordinary mypy-strict Python; mypyc turns each into a C extension placed beside its source, which Python
imports in preference to the ``.py`` file. Parsing runs about twice as fast, with the same behaviour (the
test suite runs against both forms).

* ``EDIGW_PURE_PYTHON=1`` skips compilation (and removes extensions left by an earlier build).
* A missing compiler or a mypyc failure is a warning, not a failed install: the package stays pure Python.

An editable install (``pip install -e .``, what the Makefile does) leaves the extensions in the source tree;
``make`` reinstalls when a compiled module's source changes, and the tests refuse a stale extension.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

GROUP = "parsers._compiled"  # the shared library of the group: parsers/_compiled__mypyc.<suffix>
MANIFEST = "parsers/_compiled.json"  # the sources the extensions were built from, by sha256 (for the tests)

_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify

paths, target = sys.argv[1].split(","), sys.argv[2]
setup(
    name="edi-gateway-compiled",
    # An import mypy cannot type here is Any in the compiled code, not a failed build (the build requirements
    # bring the packages the hot path calls into; "make typecheck" checks everything strictly).
    ext_modules=mypycify(
        ["--ignore-missing-imports", *paths], opt_level="3", target_dir=target, group_name={group!r}
    ),
    script_args=["build_ext", "--build-lib", sys.argv[3], "--build-temp", sys.argv[4]],
)
"""


def extension_suffix() -> str:
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    return str(suffix) if suffix else ".so"


class CompiledModulesHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def _sources(self) -> list[Path]:
        names = self.config.get("compiled", [])
        return [Path(self.root, name) for name in names]

    def _artifacts(self) -> list[Path]:
        """Every extension a compilation puts in the source tree (present or not)."""
        suffix = extension_suffix()
        out = [source.with_suffix(suffix) for source in self._sources()]
        out.append(Path(self.root, GROUP.replace(".", "/") + "__mypyc" + suffix))
        out.append(Path(self.root, MANIFEST))
        return out

    def clean(self, versions: list[str]) -> None:
        for artifact in self._artifacts():
            artifact.unlink(missing_ok=True)

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        self.clean([version])
        if os.environ.get("EDIGW_PURE_PYTHON") == "1":
            self.app.display_info("EDIGW_PURE_PYTHON=1: building pure Python")
            return
        built = self._compile()
        if not built:
            return
        if version != "editable":
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            for path in built:
                relative = path.relative_to(self.root).as_posix()
                build_data["force_include"][str(path)] = relative

    def _compile(self) -> list[Path]:
        sources = self._sources()
        root = Path(self.root)
        digests = {
            source.relative_to(root).as_posix(): hashlib.sha256(source.read_bytes()).hexdigest()
            for source in sources
        }
        with tempfile.TemporaryDirectory(prefix="edigw-mypyc-") as work:
            lib, temp, generated = (Path(work, name) for name in ("lib", "temp", "c"))
            setup = Path(work, "setup.py")
            setup.write_text(_SETUP.format(group=GROUP), encoding="utf-8")
            # Run outside the project so that setuptools does not read our pyproject.toml.
            command = [
                sys.executable,
                str(setup),
                ",".join(str(source) for source in sources),
                str(generated),
                str(lib),
                str(temp),
            ]
            env = {**os.environ, "MYPYPATH": str(root)}
            self.app.display_info(f"compiling {len(sources)} modules with mypyc (EDIGW_PURE_PYTHON=1 skips)")
            try:
                process = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
            except OSError as error:
                self.app.display_warning(f"mypyc could not run ({error}); installing pure Python")
                return []
            if process.returncode:
                tail = "\n".join((process.stdout + process.stderr).splitlines()[-30:])
                self.app.display_warning(f"mypyc failed; installing pure Python:\n{tail}")
                return []
            built: list[Path] = []
            for extension in lib.rglob("*" + extension_suffix()):
                destination = root / extension.relative_to(lib)
                shutil.copy2(extension, destination)
                built.append(destination)
        manifest = Path(self.root, MANIFEST)
        manifest.write_text(json.dumps({"sources": digests}, indent=2) + "\n", encoding="utf-8")
        return [*built, manifest]
