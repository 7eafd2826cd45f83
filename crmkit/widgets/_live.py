"""A simulator's page data: what a static page needs to run it without a kernel.

Four widgets (retention economics, the lifecycle simulator, the strategy
self-assessment, the termination what-if) also respond on the kit's static
site. When such a widget is displayed, its output carries, beside the widget
view, an extra type :data:`crmkit.static_html.LIVE_MIMETYPE` holding
``{"simulator": name, ...}``: the settings of its controls and the numbers the
page needs, computed here in Python by the metrics. JupyterLab, Voila and
nbclient keep showing the widget (they ignore a type they do not know); the
site build turns that output into a simulator drawn by the page's own script
(:mod:`crmkit.site.live`).

The data is computed when the widget is displayed, not when it is built, so
a dashboard that only builds widgets pays nothing.
"""

from __future__ import annotations

from crmkit.static_html import LIVE_MIMETYPE

__all__ = ["with_page_data"]


def with_page_data(box, name: str, page_data):
    """Give ``box``'s display the simulator's page data (computed by ``page_data()``).

    Parameters
    ----------
    box : ipywidgets.Widget
        The widget a builder returns.
    name : str
        The simulator's name on the page (``"retention"``, ``"lifecycle"``...).
    page_data : callable
        ``page_data() -> dict`` of JSON values.

    Returns
    -------
    ipywidgets.Widget
        ``box`` itself, with ``box.page_data()`` (the full dict) for tests.
    """
    shown = box._repr_mimebundle_

    def page():
        return {"simulator": name, **page_data()}

    def bundle(**kwargs):
        data = shown(**kwargs)
        if data is not None:
            data = {**data, LIVE_MIMETYPE: page()}
        return data

    box._repr_mimebundle_ = bundle
    box.page_data = page
    return box
