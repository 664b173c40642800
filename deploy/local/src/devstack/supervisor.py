"""Starts the main job's processes, each logging to its own file, and stops them cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from devstack.components import Component


@dataclass
class Supervisor:
    logs: Path
    base_env: dict[str, str]
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    #: Each component's environment as it was last started.
    started_env: dict[str, dict[str, str]] = field(default_factory=dict)

    def start(self, component: Component) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = (self.logs / f"{component.name}.log").open("ab")
        env = self.started_env[component.service or component.name] = {
            **self.base_env,
            **component.env,
        }
        self.running[component.name] = subprocess.Popen(
            component.argv(),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def env_of(self, service: str) -> dict[str, str]:
        """The environment ``service`` runs with (the base one if it was never started)."""
        return self.started_env.get(service, self.base_env)

    def dead(self) -> list[str]:
        """Components that exited on their own (a bug or a crash worth showing)."""
        return [n for n, p in self.running.items() if p.poll() not in (None, 0)]

    def kill_and_restart(self, component: Component) -> bool:
        """SIGKILL ``component`` (a crash: nothing cleaned up) and start it again; False if
        it was not running (it is started all the same)."""
        proc = self.running.get(component.name)
        alive = proc is not None and proc.poll() is None
        if proc is not None and alive:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self.start(component)
        return alive

    def last_lines(self, name: str, n: int = 8) -> list[str]:
        """The end of a component's log (what to show when it died)."""
        log = self.logs / f"{name}.log"
        if not log.exists():
            return []
        return log.read_text(errors="replace").splitlines()[-n:]

    def stop_one(self, name: str, grace_s: float = 30.0) -> None:
        proc = self.running.pop(name)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop_service(self, service: str, grace_s: float = 30.0) -> list[str]:
        """Stop every instance of ``service`` (``engine``, ``engine-2`` …); their names."""
        names = [n for n in self.running if n == service or n.startswith(f"{service}-")]
        names = [n for n in names if n == service or n.removeprefix(f"{service}-").isdigit()]
        for name in names:
            self.stop_one(name, grace_s)
        return names

    def stop(self, grace_s: float = 30.0) -> None:
        """SIGTERM to all (services first, in reverse start order), then SIGKILL."""
        for proc in reversed(list(self.running.values())):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for proc in self.running.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                proc.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
