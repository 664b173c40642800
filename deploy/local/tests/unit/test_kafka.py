"""The local broker's set-up."""

from __future__ import annotations

from pathlib import Path

from devstack.kafka import new_cluster_id, write_config
from devstack.layout import Layout


def test_a_cluster_id_never_starts_with_a_dash_that_the_storage_tool_would_take_for_an_option() -> (
    None
):
    ids = {new_cluster_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert not [i for i in ids if i.startswith("-")]
    assert all(len(i) == 22 for i in ids)


def _properties(lay: Layout) -> dict[str, str]:
    text = write_config(lay).read_text()
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def test_the_shared_broker_advertises_the_port_it_listens_on(tmp_path: Path) -> None:
    props = _properties(Layout(tmp_path, tmp_path / "state", 19092, 19093, 15432))
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"


def test_the_chaos_broker_advertises_its_proxy_to_the_services(tmp_path: Path) -> None:
    lay = Layout(tmp_path, tmp_path / "state", 29092, 29093, 25432, kafka_clients=(29094, 29095))
    props = _properties(lay)
    assert "CLIENTS://127.0.0.1:29094" in props["listeners"]
    assert props["advertised.listeners"] == (
        "PLAINTEXT://127.0.0.1:29092,CLIENTS://127.0.0.1:29095"
    )
    assert props["inter.broker.listener.name"] == "PLAINTEXT"  # the observer's, unproxied
