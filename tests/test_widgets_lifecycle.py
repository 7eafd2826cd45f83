"""crmkit.widgets.lifecycle: the lifecycle simulator (numbers: tests/test_metrics_lifecycle.py)."""

import re

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import crmkit  # noqa: E402
from crmkit import concepts  # noqa: E402
from crmkit.metrics import lifecycle as metrics_lifecycle  # noqa: E402
from crmkit.widgets import lifecycle, registry  # noqa: E402
from crmkit.widgets._core import kept  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def test_the_widget_is_registered():
    assert registry()["lifecycle_simulator"] is lifecycle.lifecycle_simulator


def test_simulator_defaults_are_the_estimated_matrix(world):
    w = lifecycle.lifecycle_simulator(world)
    base = lifecycle.base_matrix(world)
    for key, (a, b, *_rest) in lifecycle.KNOBS.items():
        assert w.controls[key].value == pytest.approx(min(base.loc[a, b], w.controls[key].max))
    # the scenario column equals the reference column at the defaults
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td></tr>", w.summary.value)
    assert len(rows) == len(concepts.LIFECYCLE_STAGES)
    assert all(mine == ref for mine, ref in rows)
    assert kept(w.figure)["lifecycle"] is w.figure.axes[0]  # the one Axes, kept


def test_simulator_shows_the_scenario_it_was_given(world):
    w = lifecycle.lifecycle_simulator(world, months=12, start="base", win_back=0.3)
    assert "Stage after 12 months" in w.summary.value
    with pytest.raises(ValueError, match="unknown move"):
        lifecycle.lifecycle_simulator(world, churn=0.1)


def test_static_twin_returns_a_figure(world):
    fig = lifecycle.lifecycle_simulator_figure(world)
    assert isinstance(fig, Figure) and fig.axes and fig.summary_html.startswith("<table>")
    ax = fig.axes[0]
    assert ax.get_legend().get_title().get_text() == "Stage (your scenario)"
    assert ax.get_title().startswith("Customers in each stage over 24 months")


def test_the_moved_names_still_import_from_the_widget_module():
    for name in ("KNOBS", "base_matrix", "scenario_matrix", "scenario_start"):
        assert getattr(lifecycle, name) is getattr(metrics_lifecycle, name)
