"""A figure canvas that remembers the text it drew: live panels redraw faster.

A live panel redraws mostly the same strings at the same place on every
callback: tick labels, axis labels, titles, legends. With matplotlib 3.11 (text
laid out by libraqm, glyphs rasterised one by one from Python) a text costs
about 60 µs per character, and text is most of a redraw. This canvas's
renderer records what matplotlib's own ``draw_text`` blends into the image for
a given (string, font, size, angle, position, hinting) and replays it the next
time, so the picture is byte-identical and only the layout and rasterisation
are skipped.

Nothing of matplotlib's text code is rewritten: a miss runs
``RendererAgg.draw_text`` itself and watches the calls it makes on the
low-level renderer. Text drawn otherwise (mathtext, non-antialiased text, a
matplotlib that draws text in another way) is simply not cached.

Watching those calls needs one private attribute of matplotlib, the
low-level renderer ``RendererAgg._renderer``: it is touched in one function,
:func:`_watching_low_level_renderer`, and only on the matplotlib versions in
:data:`SUPPORTED_MATPLOTLIB` (on any other, nothing is cached and the canvas
draws exactly like ``FigureCanvasAgg``; the tests fail on any other, so an
upgrade is checked by hand first). The cache key holds every setting that
changes a glyph's pixels: the font properties, the font fallback lists of
each family, hinting, kerning, antialiasing, size, angle, position and dpi.
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

__all__ = ["CachingCanvas", "SUPPORTED_MATPLOTLIB", "caching_supported"]

#: matplotlib versions whose ``RendererAgg.draw_text`` this module has been checked against.
SUPPORTED_MATPLOTLIB = ("3.11.",)
#: rcParams that change the glyphs drawn for the same font properties.
_GLYPH_SETTINGS = (
    "font.family",
    "font.sans-serif",
    "font.serif",
    "font.monospace",
    "font.cursive",
    "font.fantasy",
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
    "text.antialiased",
)


def caching_supported() -> bool:
    """True on the matplotlib versions whose text drawing this canvas may replay."""
    return matplotlib.__version__.startswith(SUPPORTED_MATPLOTLIB)


def _low_level_renderer(renderer: RendererAgg, replacement=None):
    """The low-level renderer of ``renderer``; put ``replacement`` in its place if given.

    The only use of a private matplotlib attribute in crmkit: ``RendererAgg``
    draws a text's glyphs through ``self._renderer.draw_text_image`` and has no
    public hook to see them. Checked on :data:`SUPPORTED_MATPLOTLIB` only.
    """
    current = renderer._renderer
    if replacement is not None:
        renderer._renderer = replacement
    return current


@contextmanager
def _watching_low_level_renderer(renderer: RendererAgg, stand_in):
    """Let ``stand_in`` take the low-level renderer's place during one ``draw_text``."""
    real = _low_level_renderer(renderer, stand_in)
    try:
        yield real
    finally:
        _low_level_renderer(renderer, real)


_MAX_TEXTS = 4096  # texts kept per canvas (a panel draws a few hundred)


class _Recorder:
    """Stands in for the low-level renderer during one ``draw_text``: forwards
    every call and keeps a copy of each glyph image blended in."""

    def __init__(self, real):
        self._real = real
        self.calls = []
        self.cacheable = True

    def draw_text_image(self, image, x, y, angle, gc):
        if isinstance(image, np.ndarray):
            self.calls.append((image.copy(), x, y, angle))
        else:  # matplotlib < 3.11 hands over the font itself: not replayable
            self.cacheable = False
        return self._real.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name):  # anything else (boxes, paths): forwarded, not cached
        self.cacheable = False
        return getattr(self._real, name)


class _CachingRenderer(RendererAgg):
    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._texts = OrderedDict()

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not gc.get_antialiased() or not caching_supported():
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (
            s,
            hash(prop),
            prop.get_size_in_points(),
            float(angle),
            float(x),
            float(y),
            self.dpi,
            self.height,
            tuple(_frozen(rcParams[name]) for name in _GLYPH_SETTINGS),
            tuple(features) if features else None,
            repr(language),
        )
        calls = self._texts.get(key)
        if calls is not None:
            self._texts.move_to_end(key)
            low_level = _low_level_renderer(self)
            for image, gx, gy, gangle in calls:
                low_level.draw_text_image(image, gx, gy, gangle, gc)
            return None
        recorder = _Recorder(_low_level_renderer(self))
        with _watching_low_level_renderer(self, recorder):
            result = super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        if recorder.cacheable:
            self._texts[key] = recorder.calls
            if len(self._texts) > _MAX_TEXTS:
                self._texts.popitem(last=False)
        return result


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


class CachingCanvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` whose renderer replays text drawn before (see the module)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if getattr(self, "_crmkit_renderer_key", None) != key:
            self.renderer = _CachingRenderer(w, h, self.figure.dpi)
            self._crmkit_renderer_key = key
        return self.renderer
