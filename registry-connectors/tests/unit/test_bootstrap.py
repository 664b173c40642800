"""Which connectors a process runs: ``all`` is every one whose endpoint is configured."""

import pytest
from registry_connectors.bootstrap import chosen
from registry_connectors.config import ConnectorSettings


def settings(**endpoints: str) -> ConnectorSettings:
    blank = {"civil_registry_url": None, "mse_drop_dir": None, "population_registry_url": None}
    return ConnectorSettings(**(blank | endpoints))  # type: ignore[arg-type]


def test_all_runs_every_connector_whose_endpoint_is_set() -> None:
    configured = settings(civil_registry_url="http://civil", mse_drop_dir="/drop")
    assert chosen(configured, "all") == ["civil", "mse"]


def test_a_named_connector_runs_alone() -> None:
    configured = settings(civil_registry_url="http://civil", population_registry_url="http://pop")
    assert chosen(configured, "population") == ["population"]


@pytest.mark.parametrize(
    ("endpoints", "which"),
    [({}, "all"), ({"civil_registry_url": "http://civil"}, "mse"), ({}, "bank")],
)
def test_a_connector_without_its_endpoint_is_refused(endpoints: dict[str, str], which: str) -> None:
    with pytest.raises(ValueError, match="not configured"):
        chosen(settings(**endpoints), which)
