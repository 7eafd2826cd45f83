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
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

__all__ = ["CachingCanvas"]

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
        if ismath or not gc.get_antialiased():
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        # text features and language exist from matplotlib 3.10/3.11 on
        features = getattr(mtext, "get_fontfeatures", lambda: None)()
        language = getattr(mtext, "get_language", lambda: None)()
        key = (
            s,
            hash(prop),
            prop.get_size_in_points(),
            float(angle),
            float(x),
            float(y),
            self.dpi,
            self.height,
            rcParams["text.hinting"],
            rcParams["text.hinting_factor"],
            rcParams["text.antialiased"],
            tuple(features) if features else None,
            repr(language),
        )
        calls = self._texts.get(key)
        if calls is not None:
            self._texts.move_to_end(key)
            for image, gx, gy, gangle in calls:
                self._renderer.draw_text_image(image, gx, gy, gangle, gc)
            return None
        real = self._renderer
        recorder = self._renderer = _Recorder(real)
        try:
            result = super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        finally:
            self._renderer = real
        if recorder.cacheable:
            self._texts[key] = recorder.calls
            if len(self._texts) > _MAX_TEXTS:
                self._texts.popitem(last=False)
        return result


class CachingCanvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` whose renderer replays text drawn before (see the module)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _CachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
