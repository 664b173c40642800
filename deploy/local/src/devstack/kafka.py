"""Apache Kafka in KRaft mode, one combined broker and controller, from Maven Central."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from base64 import urlsafe_b64encode
from importlib import resources
from pathlib import Path

from devstack.console import Steps, say
from devstack.layout import KAFKA_VERSION, Layout
from devstack.processes import kill_daemon, running_pid, start_daemon, stop_daemon

__all__ = ["bootstrap", "fetch_jars", "kill", "pid_file", "running_pid", "start", "stop"]

LISTENERS = """\
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
"""

#: The broker of ``make chaos``: what the services reach goes through a proxy of ours, and
#: the broker advertises the proxy, else a client would bypass it after bootstrap.
PROXIED_LISTENERS = """\
listeners=PLAINTEXT://127.0.0.1:{port},CLIENTS://127.0.0.1:{clients},CONTROLLER://127.0.0.1:{controller}
advertised.listeners=PLAINTEXT://127.0.0.1:{port},CLIENTS://127.0.0.1:{advertised}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CLIENTS:PLAINTEXT,CONTROLLER:PLAINTEXT
"""

SERVER_PROPERTIES = """\
process.roles=broker,controller
node.id=1
{listeners}controller.listener.names=CONTROLLER
controller.quorum.voters=1@127.0.0.1:{controller}
inter.broker.listener.name=PLAINTEXT
log.dirs={data}
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=-1
log.segment.bytes=268435456
"""

LOG4J = """\
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File={log}
log4j.appender.file.MaxFileSize=50MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
"""


def fetch_jars(layout: Layout) -> None:
    """Gather the broker's runtime classpath once (a progress step per file Maven fetches)."""
    libs = layout.kafka_libs
    if (libs / ".complete").exists():
        return
    if shutil.which("mvn") is None:
        sys.exit("Maven (mvn) is needed to fetch Apache Kafka from Maven Central")
    libs.mkdir(parents=True, exist_ok=True)
    pom = resources.files("devstack") / "kafka-pom.xml"
    with (
        resources.as_file(pom) as pom_path,
        Steps(f"fetching Apache Kafka {KAFKA_VERSION}") as steps,
    ):
        _maven(_copy_dependencies(pom_path, libs), steps)
    (libs / ".complete").write_text(KAFKA_VERSION)
    say(f"Kafka jars cached in {libs}")


def _copy_dependencies(pom: Path, libs: Path) -> list[str]:
    return [
        "mvn",
        "-B",
        "-f",
        str(pom),
        f"-Dkafka.version={KAFKA_VERSION}",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={libs}",
        "-Dorg.slf4j.simpleLogger.log.org.apache.maven.cli.transfer.Slf4jMavenTransferListener=info",
    ]


def _maven(argv: list[str], steps: Steps) -> None:
    """Run Maven, one step per file it downloads; its whole output if it fails."""
    seen: list[str] = []
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as mvn:
        assert mvn.stdout is not None
        for line in mvn.stdout:
            seen.append(line)
            if line.startswith("Downloaded from") and len(words := line.split()) > 3:
                steps.advance(words[3].rsplit("/", 1)[-1])
    if mvn.returncode:
        say("".join(seen))
        raise subprocess.CalledProcessError(mvn.returncode, argv)


def _java(layout: Layout, *args: str) -> list[str]:
    log4j = layout.kafka_dir / "log4j.properties"
    return ["java", "-cp", f"{layout.kafka_libs}/*", f"-Dlog4j.configuration=file:{log4j}", *args]


def write_config(layout: Layout) -> Path:
    kdir = layout.kafka_dir
    kdir.mkdir(parents=True, exist_ok=True)
    props = kdir / "server.properties"
    ports = {"port": layout.kafka_port, "controller": layout.controller_port}
    if layout.kafka_clients:
        clients, advertised = layout.kafka_clients
        listeners = PROXIED_LISTENERS.format(clients=clients, advertised=advertised, **ports)
    else:
        listeners = LISTENERS.format(**ports)
    props.write_text(SERVER_PROPERTIES.format(listeners=listeners, data=kdir / "data", **ports))
    (kdir / "log4j.properties").write_text(LOG4J.format(log=layout.logs / "kafka.log"))
    return props


def _format_once(layout: Layout, props: Path) -> None:
    if (layout.kafka_dir / "data" / "meta.properties").exists():
        return
    cluster_id = new_cluster_id()
    subprocess.run(
        _java(layout, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(props)),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def new_cluster_id() -> str:
    """A random cluster id, never starting with ``-`` (the storage tool would read it as
    an option; Kafka's own ``random-uuid`` avoids it the same way)."""
    while (cluster_id := urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))[0] == "-":
        pass
    return cluster_id


def pid_file(layout: Layout) -> Path:
    return layout.kafka_dir / "kafka.pid"


def start(layout: Layout) -> bool:
    """Start the broker unless it runs; True if it was started now."""
    if running_pid(pid_file(layout)):
        return False
    fetch_jars(layout)
    props = write_config(layout)
    _format_once(layout, props)
    argv = _java(layout, "kafka.Kafka", str(props))
    argv[1:1] = ["-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true"]
    start_daemon(argv, pid_file(layout), layout.logs / "kafka.out", layout.kafka_dir)
    return True


def stop(layout: Layout) -> bool:
    return stop_daemon(pid_file(layout), grace_s=60)


def kill(layout: Layout) -> bool:
    """SIGKILL the broker (a crash: no clean shutdown); True if it was running."""
    return kill_daemon(pid_file(layout))


def bootstrap(layout: Layout) -> str:
    return f"127.0.0.1:{layout.kafka_port}"
