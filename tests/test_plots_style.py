"""crmkit.plots.style: the palette and the finishing helpers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from crmkit.plots import style  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_style_helpers():
    assert len(style.PALETTE) == 8 and len(set(style.PALETTE)) == 8
    assert list(style.stage_palette()) == [
        "exploration",
        "awareness",
        "expansion",
        "commitment",
        "dissolution",
    ]
    assert style.sequential_cmap() in plt.colormaps()
    fig, ax = plt.subplots()
    assert style.finish(ax, "T", "x (months)", "y (%)") is ax
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "x (months)", "y (%)")

