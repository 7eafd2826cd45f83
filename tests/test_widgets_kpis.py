"""crmkit.widgets.kpis: the KPI explorer draws and lists exactly what kpi_alerts flags."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from crmkit.metrics.kpis import kpi_alerts, kpi_series, prepare_kpis  # noqa: E402
from crmkit.widgets import kpis  # noqa: E402
from crmkit.widgets._core import kept  # noqa: E402


def test_moved_names_still_resolve_from_the_widget_module():
    from crmkit.metrics import kpis as metrics

    assert kpis.kpi_series is metrics.kpi_series
    assert kpis.prepare_kpis is metrics.prepare_kpis


def test_kpi_explorer_draws_the_corridor_and_alerts_of_kpi_alerts(small_world):
    table = prepare_kpis(small_world)
    for kpi in ("complaints", "late_payment_share", "defections"):
        values, _ = kpi_series(table, kpi)
        for window, threshold in ((2, 1.0), (3, 2.0), (6, 1.5)):
            fig, alerts = kpis.kpi_explorer_figure(
                small_world, kpi=kpi, window=window, threshold=threshold, kpis=table, fig=Figure()
            )
            full = kpi_alerts(
                table.assign(**{kpi: values}),
                window=window,
                threshold=threshold,
                columns=[kpi],
                all_periods=True,
            )
            ax = fig.axes[0]
            baseline = next(li for li in ax.lines if li.get_linestyle() == "--")
            np.testing.assert_array_equal(baseline.get_ydata(), full["baseline"])
            marked = sum(
                len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)
            )
            assert marked == len(alerts) == int(full["alert"].sum()), (kpi, window, threshold)


def test_kpi_explorer_lists_the_alerts(small_world):
    w = kpis.kpi_explorer(small_world, kpi="complaints", threshold=1.0)
    table = prepare_kpis(small_world)
    values, _ = kpi_series(table, "complaints")
    n = len(kpi_alerts(table.assign(complaints=values), threshold=1.0, columns=["complaints"]))
    assert f"Complaints: {n} alert month(s)" in w.summary.value
    with pytest.raises(ValueError, match="window"):
        kpis.kpi_explorer(small_world, window=30)


def test_kpi_explorer_keeps_one_axes_in_kept(small_world):
    w = kpis.kpi_explorer(small_world)
    ax = kept(w.figure)["kpi"]
    w.controls["kpi"].value = "late_payment_share"
    assert w.figure.axes == [ax] and kept(w.figure)["kpi"] is ax
    assert ax.get_title().startswith("Late payments")
