"""The caching canvas of live panels draws exactly what matplotlib's own canvas draws."""

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from crmkit.widgets._glyphs import CachingCanvas

# matplotlib 3.11 hands glyph images to the renderer one by one: those are replayed.
# Older versions draw a whole text at once from the font; the canvas then caches
# nothing and simply draws like matplotlib.
REPLAYS = tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 11)


def _draw(fig, variant):
    """A figure with many kinds of text; ``variant`` changes colours, values and labels."""
    fig.clear()
    ax, ax2 = fig.subplots(1, 2)
    x = np.arange(6)
    ax.bar(x, (x + 1) * (1 + variant), color="#0072B2", label=f"series {variant}")
    ax.set_xticks(x, ["email", "phone", "web", "store", "app", "post"], rotation=35)
    ax.set_title("Bold title\nsecond line", fontweight="bold", color=f"C{variant}")
    ax.set_ylabel("customers (number)")
    ax.text(2, 3, "سارا احمدی", fontsize=12, color="#D55E00", alpha=0.7)
    ax.text(0.5, 0.5, r"$\alpha^2 + \beta$", transform=ax.transAxes)
    ax.annotate("clipped?", (5.6, 1), clip_on=True, fontsize=14)
    ax.legend(loc="upper left", fontsize=8)
    ax2.plot(x, x**2 - variant)
    ax2.set_xlabel("month", fontsize=11, rotation=10)
    ax2.text(1, 10, "Łódź · Київ · Jyväskylä", fontsize=9, style="italic")
    fig.suptitle(f"Variant {variant}", fontsize=13)


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    return buf.getvalue()


@pytest.mark.parametrize("dpi", [72, 100])
def test_caching_canvas_draws_the_same_bytes_as_matplotlib(dpi):
    plain, cached = Figure(figsize=(8, 4), dpi=dpi), Figure(figsize=(8, 4), dpi=dpi)
    FigureCanvasAgg(plain)
    canvas = CachingCanvas(cached)
    # first draws fill the cache, later ones replay it; going back to a variant
    # replays texts drawn two callbacks ago
    for variant in (0, 1, 0, 2, 0):
        _draw(plain, variant)
        _draw(cached, variant)
        assert _png(cached) == _png(plain), variant
    texts = canvas.renderer._texts  # the renderer savefig drew with (at 72 dpi)
    if not REPLAYS:
        assert not texts
        return
    assert texts, "nothing was cached"
    before = len(texts)
    _draw(cached, 0)
    _png(cached)
    assert len(texts) == before  # a repeated picture is drawn from the cache alone


def test_caching_canvas_forgets_the_oldest_texts(monkeypatch):
    monkeypatch.setattr("crmkit.widgets._glyphs._MAX_TEXTS", 5)
    fig = Figure(figsize=(3, 2))
    canvas = CachingCanvas(fig)
    for i in range(20):
        fig.clear()
        fig.text(0.1, 0.5, f"label {i}")
        _png(fig)
    assert len(canvas.renderer._texts) <= 5


def test_caching_canvas_key_follows_hinting():
    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ref = Figure(figsize=(3, 2))
    CachingCanvas(ref)
    for f in (fig, ref):
        f.text(0.1, 0.5, "Retention 87 %", fontsize=12)
    _png(ref)  # cached with the default hinting
    with matplotlib.rc_context({"text.hinting": "none"}):
        assert _png(ref) == _png(fig)


def test_the_installed_matplotlib_is_one_the_canvas_was_checked_against():
    """An upgraded matplotlib fails here: check _glyphs.draw_text by hand, then add it."""
    from crmkit.widgets._glyphs import SUPPORTED_MATPLOTLIB, caching_supported

    assert caching_supported(), (
        f"matplotlib {matplotlib.__version__} is not one of {SUPPORTED_MATPLOTLIB}"
    )


@pytest.mark.parametrize(
    "setting, value",
    [("font.sans-serif", ["DejaVu Serif"]), ("font.family", "serif"), ("text.hinting", "none")],
)
def test_a_glyph_setting_changed_between_draws_is_not_replayed_stale(setting, value):
    # both canvases drawn once before the change and once after: matplotlib's own
    # canvas keeps some state between draws too (its mathtext parser's cache)
    plain, cached = Figure(figsize=(8, 4), dpi=72), Figure(figsize=(8, 4), dpi=72)
    FigureCanvasAgg(plain)
    CachingCanvas(cached)
    _draw(plain, 0)
    _draw(cached, 0)
    before = _png(plain)
    assert _png(cached) == before  # the cache is filled with the old setting
    with matplotlib.rc_context({setting: value}):
        _draw(plain, 0)
        _draw(cached, 0)
        want, got = _png(plain), _png(cached)
    assert want != before, f"changing {setting} changes nothing: the test would prove nothing"
    assert got == want, f"stale glyphs after changing {setting}"
