"""``edi-gateway`` in subprocesses: started on a home, waited for, signalled, and their logs read."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .home import GatewayHome

EDI_GATEWAY = str(Path(sys.executable).with_name("edi-gateway"))
STARTED = "watching the folders"  # the log line of `run` once its signal handlers are in place


def wait_for(condition: Callable[[], bool], *, what: str, give_up_after: float = 60.0) -> None:
    """Poll ``condition`` until it holds (a generous bound, only so that a broken build cannot hang)."""
    give_up_at = time.monotonic() + give_up_after
    while not condition():
        assert time.monotonic() < give_up_at, f"gave up waiting for {what}"
        time.sleep(0.05)


@dataclass
class GatewayProcess:
    """One ``edi-gateway`` subprocess; its stdout and stderr go to files (a full pipe would block it)."""

    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def stderr_text(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def wait_started(self) -> None:
        self.wait_until(lambda: STARTED in self.stderr_text(), what="it started")

    def wait_until(self, condition: Callable[[], bool], *, what: str) -> None:
        """Poll ``condition`` while the gateway runs; fail at once (with its log) if it exits."""
        wait_for(lambda: condition() or self.process.poll() is not None, what=what)
        assert condition(), (
            f"the gateway exited ({self.process.returncode}) before {what}: {self.stderr_text()}"
        )

    def wait(self, give_up_after: float = 60.0) -> int:
        try:
            return self.process.wait(timeout=give_up_after)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the gateway did not exit: {self.stderr_text()[-2000:]}") from None

    def stop(self, signal_number: int = signal.SIGTERM) -> int:
        self.process.send_signal(signal_number)
        return self.wait()


@dataclass
class Launcher:
    """Starts gateways on a home, and kills (by their own process) whichever are still running at the end."""

    logs: Path
    started: list[GatewayProcess] = field(default_factory=list)

    def start(self, home: GatewayHome, *arguments: str, **environment: str) -> GatewayProcess:
        number = len(self.started)
        self.logs.mkdir(parents=True, exist_ok=True)
        stdout, stderr = self.logs / f"{number}.out", self.logs / f"{number}.err"
        with stdout.open("wb") as out, stderr.open("wb") as err:
            process = subprocess.Popen(
                [EDI_GATEWAY, *arguments],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=home.root,
                env=home.subprocess_environment(**environment),
            )
        started = GatewayProcess(process, stdout, stderr)
        self.started.append(started)
        return started

    def run(self, home: GatewayHome, *arguments: str, **environment: str) -> tuple[int, str, str]:
        """Run a command to its end: (exit code, stdout, stderr)."""
        started = self.start(home, *arguments, **environment)
        code = started.wait()
        return code, started.stdout.read_text(encoding="utf-8"), started.stderr_text()

    def kill_leftovers(self) -> None:
        for started in self.started:
            if started.process.poll() is None:
                started.process.kill()
                started.process.wait()
