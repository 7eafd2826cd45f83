"""crmkit.plots.lifecycle: stage mix and transition figures."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.metrics.lifecycle import simulate_lifecycle  # noqa: E402
from crmkit.plots.lifecycle import plot_stage_mix  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def test_plot_stage_mix_legend_is_optional(world):
    mix = simulate_lifecycle(world.truth["transition_matrix"], months=12)
    fig, (a, b) = plt.subplots(1, 2)
    try:
        assert plot_stage_mix(mix, ax=a).get_legend() is not None
        assert plot_stage_mix(mix, ax=b, legend=False).get_legend() is None
        assert len(b.get_legend_handles_labels()[0]) == 5
    finally:
        plt.close(fig)

