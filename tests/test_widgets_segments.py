"""crmkit.widgets.segments: the segment explorer."""

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.widgets import segments  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def test_explorer_summary_is_segment_summary(world):
    state = segments._Explorer(world, None, None)
    for by in segments.GROUPINGS:
        for measure in segments.MEASURES:
            got = state.summary(by, measure)
            want = segments.segment_summary(state.stats, by, measure)
            pd.testing.assert_frame_equal(got, want)
            assert got.attrs == want.attrs
    with pytest.raises(ValueError, match="`measure` must be one of"):
        state.summary("origin", "revenue")

