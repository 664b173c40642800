"""The engine's rig with its ops topics: send commands, read the replies (ADR 12)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from benefits_shared.contracts.ops import OpsCommand
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from engine_rig import EngineRig

FINAL = {"completed", "cancelled", "failed"}


@dataclass
class OpsRig:
    rig: EngineRig
    commands: str
    replies: str
    parameters_dir: Path | None = None

    def env(self) -> dict[str, str]:
        env = {
            **self.rig.env(),
            "ENGINE_OPS_COMMANDS_TOPIC": self.commands,
            "ENGINE_OPS_REPLIES_TOPIC": self.replies,
            "ENGINE_OPS_GROUP": f"{self.rig.group}-ops",
        }
        if self.parameters_dir is not None:
            env["ENGINE_PARAMETERS_DIR"] = str(self.parameters_dir)
        return env

    def start(self) -> subprocess.Popen[bytes]:
        """The engine as its own process, with its ops topics."""
        command = [sys.executable, "-m", "eligibility_engine"]
        proc = subprocess.Popen(command, env=self.env(), stdout=subprocess.DEVNULL)
        self.rig.processes.append(proc)
        return proc

    async def send(self, command: OpsCommand, key: str | None = None) -> None:
        producer = idempotent_producer(self.rig.bootstrap, "test-ops")
        await producer.start()
        try:
            event = command.to_cloudevent("/ops", datetime.now(UTC), None)
            await producer.send_and_wait(
                self.commands,
                value=event.value(),
                key=(key or command.command_id).encode(),
                headers=event.headers(),
            )
        finally:
            await producer.stop()

    async def outcome(self, command_id: str, timeout: float = 120) -> list[dict[str, Any]]:
        """Every reply to the command, in order, once its final one has come."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replies = [r for r in await self.replies_on_topic() if r["command_id"] == command_id]
            if replies and replies[-1]["state"] in FINAL:
                return sorted(replies, key=lambda r: int(r["seq"]))
            await asyncio.sleep(0.5)
        raise TimeoutError(f"no final reply to {command_id}")

    async def replies_on_topic(self) -> list[dict[str, Any]]:
        reader = safe_consumer(self.rig.bootstrap, None, self.replies)
        await reader.start()
        out: list[dict[str, Any]] = []
        try:
            while batch := await reader.getmany(timeout_ms=1500):
                for records in batch.values():
                    out.extend(json.loads(r.value) for r in records)
        finally:
            await reader.stop()
        return out


def new_id() -> str:
    return str(uuid.uuid4())


def parameters_with(folder: Path, file: str, old: str, new: str) -> Path:
    """The packaged parameters with one value changed, in ``folder``."""
    with as_file(files("eligibility_engine") / "parameters") as packaged:
        shutil.copytree(packaged, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder
