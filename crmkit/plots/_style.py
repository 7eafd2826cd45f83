"""Old name of :mod:`crmkit.plots.style`, kept while notebooks still import from it.

Import from :mod:`crmkit.plots.style` instead; this alias will be removed.
"""

from crmkit.plots.style import (  # noqa: F401 - re-exported under the old name
    DIVERGING_CMAP,
    OKABE_ITO,
    PALETTE,
    SEQUENTIAL_CMAP,
    __all__,  # noqa: F401
    annotate_bar_end,
    category_palette,
    finish,
    sequential_cmap,
    stage_palette,
)
