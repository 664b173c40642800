"""The first ``make run`` on a fresh machine: a new stack (new data folders, ports of its
own) and at once the main job, which must finish reconciled (issue #10: it used to stop
on "group coordinator not available" from a broker that had never served a group)."""

from __future__ import annotations

import os
import subprocess
import time

from devstack.layout import Layout

#: Variables that would point the run at the shared stack or at external endpoints.
UNSET = (
    "KAFKA_BOOTSTRAP_SERVERS",
    "DATABASE_URL",
    "CIVIL_REGISTRY_URL",
    "POPULATION_REGISTRY_URL",
    "MSE_DROP_DIR",
    "BANK_API_URL",
    "SMS_GATEWAY_URL",
    "RUN_WITHOUT",
    "CLOCK_TODAY",
)


def fresh_stack_env(lay: Layout) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    return {
        **env,
        "DEVSTACK_STATE_DIR": str(lay.state),
        "DEVSTACK_KAFKA_PORT": str(lay.kafka_port),
        "DEVSTACK_CONTROLLER_PORT": str(lay.controller_port),
        "DEVSTACK_POSTGRES_PORT": str(lay.postgres_port),
        "RUN_PORT_OFFSET": "3000",  # simulators and the notifier beside any other run
        "RUN_ONCE": "1",
        "RUN_PERSONS": "1500",
        "RUN_DAYS": "60",
        "RUN_TIMEOUT_SECONDS": "420",
        # Noon in Baku, so that the notices are handed over whenever the test runs.
        "NOTIFIER_FIXED_TIME": "2026-11-23T12:00:00+04:00",
    }


def test_the_first_make_run_on_a_fresh_stack_finishes_reconciled(own_layout: Layout) -> None:
    assert not own_layout.state.exists()
    output = own_layout.state.parent / "make-run.log"
    started = time.monotonic()
    with output.open("wb") as out:
        run = subprocess.run(
            ["make", "-s", "run"],
            cwd=own_layout.root,
            env=fresh_stack_env(own_layout),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=560,
            check=False,
        )
    took = time.monotonic() - started
    text = output.read_text(errors="replace")
    print(f"fresh stack: `make run` exited {run.returncode} after {took:.0f} s")
    print(text[text.rfind("══ Summary ══") :] if "══ Summary ══" in text else text[-3000:])
    assert run.returncode == 0, text[-3000:]
    assert "\nRECONCILED" in text
    assert (own_layout.kafka_dir / "data" / "meta.properties").exists()  # its own broker
