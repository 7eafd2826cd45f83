"""crmkit.plots.lifecycle: stage mix and transition figures."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
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


def test_plot_scenario_mix_draws_on_the_given_axes(world):
    from crmkit.metrics.lifecycle import base_matrix, scenario_matrix
    from crmkit.plots.lifecycle import plot_scenario_mix

    P = base_matrix(world)
    mix = simulate_lifecycle(scenario_matrix(P, win_back=0.25), months=12)
    ref = simulate_lifecycle(P, months=12)
    before = (mix.copy(), ref.copy())
    fig, ax = plt.subplots()
    try:
        assert plot_scenario_mix(mix, ref, title="What if", ax=ax) is ax
        assert ax.get_title() == "What if"
        assert ax.get_xlabel() and ax.get_ylabel()
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[0] == "Dissolution" and labels[-1].startswith("In a relationship")
        dashed = ax.lines[-1]
        assert dashed.get_linestyle() == "--"
        assert dashed.get_ydata() == pytest.approx(ref.iloc[:, :4].sum(axis=1).to_numpy())
        pd.testing.assert_frame_equal(mix, before[0])
        pd.testing.assert_frame_equal(ref, before[1])
        with pytest.raises(ValueError, match="no column"):
            plot_scenario_mix(mix, ref[["exploration"]], ax=ax)
    finally:
        plt.close(fig)


def test_plot_transition_heatmap_shows_rows_it_could_not_estimate(world):
    import numpy as np

    from crmkit.metrics.lifecycle import transition_matrix
    from crmkit.plots.lifecycle import plot_transition_heatmap

    P = transition_matrix(world.stage_history)
    P.loc["commitment"] = np.nan  # nobody seen there: an empty row
    fig, ax = plt.subplots()
    try:
        assert plot_transition_heatmap(P, ax=ax) is ax
        assert len(ax.texts) == 20  # the 5 cells of the empty row are left blank
        with pytest.raises(ValueError, match="lifecycle stages as index"):
            plot_transition_heatmap(P.reset_index(drop=True), ax=ax)
    finally:
        plt.close(fig)
