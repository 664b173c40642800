"""A Kafka and a PostgreSQL of the test's own, secured as in production: certificates made
with openssl, Kafka with a SASL_SSL listener (SCRAM-SHA-512) and the standard authorizer,
PostgreSQL accepting only TLS with SCRAM passwords. Other ports, a temporary folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from base64 import urlsafe_b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benefits_shared.connections import KafkaConnection
from benefits_shared.local_ports import free_port
from devstack import kafka as devstack_kafka
from devstack import postgres as devstack_postgres
from devstack.layout import layout

ADMIN, ADMIN_PASSWORD = "admin", "admin-secret"


def wait_for_port(port: int, seconds: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"nothing listens on {port} after {seconds}s")


@dataclass(frozen=True)
class Certificates:
    ca: Path
    cert: Path
    key: Path


def make_certificates(folder: Path) -> Certificates:
    """A CA, and a server certificate for 127.0.0.1 and localhost signed by it."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (
        folder / n for n in ("ca.key", "ca.crt", "server.key", "s.csr", "server.crt")
    )
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)  # noqa: E731
    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca),
        "-days",
        "2",
        "-subj",
        "/CN=benefits test CA",
    )
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(key),
        "-out",
        str(csr),
        "-subj",
        "/CN=localhost",
    )
    ext = folder / "san.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-out",
        str(cert),
        "-days",
        "2",
        "-extfile",
        str(ext),
    )
    return Certificates(ca, cert, key)


SERVER_PROPERTIES = """\
process.roles=broker,controller
node.id=1
listeners=SASL_SSL://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}
advertised.listeners=SASL_SSL://127.0.0.1:{port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:{controller}
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=\
org.apache.kafka.common.security.scram.ScramLoginModule required \
username="{admin}" password="{admin_password}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:{admin};User:ANONYMOUS
allow.everyone.if.no.acl.found=false
ssl.keystore.type=PEM
ssl.keystore.location={keystore}
ssl.truststore.type=PEM
ssl.truststore.location={ca}
log.dirs={data}
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
"""


class SecureKafka:
    """One KRaft node whose only client listener is SASL_SSL; ``users`` get SCRAM
    credentials at format time (the controller listener is local and PLAINTEXT)."""

    def __init__(self, folder: Path, certificates: Certificates, users: dict[str, str]) -> None:
        self.folder, self.certs, self.users = folder, certificates, users
        self.port, self.controller = free_port(), free_port()
        self.libs = layout().kafka_libs
        self.process: subprocess.Popen[bytes] | None = None

    def _java(self, *args: str) -> list[str]:
        return ["java", "-cp", f"{self.libs}/*", "-Dlog4j.configuration=file:/dev/null", *args]

    def start(self) -> None:
        devstack_kafka.fetch_jars(layout())  # the jars as `make setup` gets them
        keystore = self.folder / "server.pem"
        keystore.write_text(self.certs.key.read_text() + self.certs.cert.read_text())
        props = self.folder / "server.properties"
        props.write_text(
            SERVER_PROPERTIES.format(
                port=self.port,
                controller=self.controller,
                admin=ADMIN,
                admin_password=ADMIN_PASSWORD,
                keystore=keystore,
                ca=self.certs.ca,
                data=self.folder / "data",
            )
        )
        scram = [f"SCRAM-SHA-512=[name={u},password={p}]" for u, p in self._all_users().items()]
        cluster = "A" + urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")[1:]  # no "-"
        add = [arg for entry in scram for arg in ("--add-scram", entry)]
        subprocess.run(
            self._java("kafka.tools.StorageTool", "format", "-t", cluster, "-c", str(props), *add),
            check=True,
            capture_output=True,
        )
        log = (self.folder / "kafka.out").open("wb")
        self.process = subprocess.Popen(
            self._java("-Xmx512m", "kafka.Kafka", str(props)), stdout=log, stderr=subprocess.STDOUT
        )
        wait_for_port(self.port, 90, self.process)

    def _all_users(self) -> dict[str, str]:
        return {ADMIN: ADMIN_PASSWORD, **self.users}

    def connection(self, user: str) -> KafkaConnection:
        return KafkaConnection(
            f"127.0.0.1:{self.port}",
            "SASL_SSL",
            "SCRAM-SHA-512",
            user,
            self._all_users()[user],
            str(self.certs.ca),
        )

    def add_acls(self, principal: str, rules: Iterable[dict[str, Any]]) -> None:
        """The Strimzi ``KafkaUser`` rules as Kafka ACLs (kafka-acls, one call per rule)."""
        config = self.folder / "admin.properties"
        config.write_text(
            "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
            f"ssl.truststore.type=PEM\nssl.truststore.location={self.certs.ca}\n"
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{ADMIN}" password="{ADMIN_PASSWORD}";\n'
        )
        base = [
            "kafka.admin.AclCommand",
            "--bootstrap-server",
            f"127.0.0.1:{self.port}",
            "--command-config",
            str(config),
            "--add",
            "--allow-principal",
            f"User:{principal}",
        ]
        # One kafka-acls run (a JVM start) per kind of rule: it takes many resources at once.
        kafka_pattern = {"literal": "literal", "prefix": "prefixed"}  # Strimzi's → Kafka's
        kinds: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
        for rule in rules:
            resource = rule["resource"]
            pattern = kafka_pattern[resource.get("patternType", "literal")]
            kind = (resource["type"], pattern, tuple(rule["operations"]))
            kinds.setdefault(kind, []).append(resource["name"])
        for (resource_type, pattern, operations), names in kinds.items():
            flag = {"topic": "--topic", "group": "--group"}[resource_type]
            named = [arg for name in names for arg in (flag, name)]
            ops = [arg for op in operations for arg in ("--operation", op)]
            subprocess.run(
                self._java(*base, *named, "--resource-pattern-type", pattern, *ops),
                check=True,
                capture_output=True,
            )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class SecurePostgres:
    """A PostgreSQL cluster in a temporary folder: TLS only (``hostssl``), SCRAM passwords;
    the superuser reaches it over its Unix socket only."""

    def __init__(self, certificates: Certificates) -> None:
        # A folder of its own under /tmp: the ``postgres`` user (when we are root) must be
        # able to enter it, which pytest's private temporary folders do not allow.
        self.folder, self.certs = Path(tempfile.mkdtemp(prefix="benefits-secure-pg-")), certificates
        self.port = free_port()
        self.data = self.folder / "pgdata"
        self.root = os.geteuid() == 0

    def _as_owner(self, argv: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *argv] if self.root else argv

    def _tool(self, name: str) -> str:
        folder = devstack_postgres.binaries()
        if folder is None:
            raise RuntimeError("PostgreSQL is not installed: run `make setup`")
        return str(folder / name)

    def start(self) -> None:
        self.folder.chmod(0o755)
        if self.root:
            shutil.chown(self.folder, "postgres", "postgres")
        initdb = [
            self._tool("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
        subprocess.run(self._as_owner(initdb), check=True, capture_output=True, cwd="/")
        for name in ("server.crt", "server.key"):
            source = self.certs.cert if name == "server.crt" else self.certs.key
            target = self.data / name
            shutil.copy(source, target)
            target.chmod(0o600)
            if self.root:
                shutil.chown(target, "postgres", "postgres")
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.data}'\nssl = on\n"
                "password_encryption = 'scram-sha-256'\n"
            )
        (self.data / "pg_hba.conf").write_text(
            "local all postgres trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n"
        )
        start = [
            self._tool("pg_ctl"),
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
        ]
        subprocess.run(self._as_owner(start), check=True, capture_output=True, cwd="/")

    def psql(self, sql: str, database: str = "postgres") -> str:
        argv = [
            self._tool("psql"),
            "-h",
            str(self.data),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAc",
            sql,
        ]
        out = subprocess.run(
            self._as_owner(argv), check=True, capture_output=True, text=True, cwd="/"
        )
        return out.stdout.strip()

    def stop(self) -> None:
        stop = [self._tool("pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(self.data)]
        subprocess.run(self._as_owner(stop), check=False, capture_output=True, cwd="/")
        shutil.rmtree(self.folder, ignore_errors=True)
