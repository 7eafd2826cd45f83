"""Helpers for tests that compare pictures: pixels of PNGs and figures, control walks."""

import io

import numpy as np
from PIL import Image


def pixels(png: bytes) -> np.ndarray:
    """The RGB pixels of PNG bytes."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def fig_pixels(fig) -> np.ndarray:
    """The RGB pixels of a matplotlib figure saved at a live panel's 72 dpi."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    return pixels(buf.getvalue())


def visit(w, settings):
    """Set each control setting of widget ``w`` in turn; return (PNG, summary) after each."""
    out = []
    for values in settings:
        for key, value in values.items():
            w.controls[key].value = value
        out.append((w.image.value, w.summary.value))
    return out
