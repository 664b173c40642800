"""The ops service's settings (environment variables); read only by ``bootstrap.py``.

| variable | default | what |
| --- | --- | --- |
| ``OPS_HTTP_HOST``, ``OPS_HTTP_PORT`` | ``127.0.0.1``, ``8080`` | the console and the API |
| ``OPS_SCHEMA`` | ``ops`` | its PostgreSQL schema |
| ``OPS_GROUP`` | ``ops-projection`` | the projection's consumer group |
| ``OPS_TOPICS`` | the catalog and ``.dlq`` s | JSON list: a run's namespace, tests' topics |
| ``OPS_BATCH_MAX`` | 500 | records per projected batch |
| ``OPS_COOKIE_SECURE`` | false | mark the console's session cookie ``Secure`` (behind TLS) |
"""

from __future__ import annotations

from benefits_shared.settings import CommonSettings
from benefits_shared.topics import all_topics
from pydantic import Field


def catalog_topics() -> tuple[str, ...]:
    return tuple(t.name for t in all_topics())


class OpsSettings(CommonSettings):
    ops_http_host: str = "127.0.0.1"
    ops_http_port: int = Field(default=8080, ge=0, le=65535)
    ops_schema: str = "ops"
    ops_group: str = "ops-projection"
    ops_topics: tuple[str, ...] = Field(default_factory=catalog_topics)
    ops_batch_max: int = Field(default=500, ge=1)
    ops_cookie_secure: bool = False
