"""The bench report's cluster estimate starts from this run's figures and says so when one
was not measured."""

from devstack.bench.cluster_estimate import cluster_estimate
from devstack.bench.measure import Figure


def test_quotes_each_stage_from_the_figures_of_the_run() -> None:
    figures = [
        Figure("engine: events decided and committed", 4321.0, "events/s", 20000.0),
        Figure("raw producer (acks=all, batched)", 35000.0, "records/s"),
        Figure("end to end, 1 instance(s): 25,000 births", 100.0, "births/s"),
        Figure("end to end, 2 instance(s): 25,000 births", 150.0, "births/s", 100.0),
    ]

    text = "\n".join(cluster_estimate(figures))

    assert "4,321 events/s per process" in text
    assert "35,000 records/s" in text
    assert "reached 1.50× the births" in text
    assert "**Civil connector**: (not measured in this run) here" in text


def test_a_run_of_one_part_says_the_others_were_not_measured() -> None:
    text = "\n".join(cluster_estimate([]))

    assert text.count("(not measured in this run)") == 4
    assert "not both measured" in text
