"""crmkit.build: executing the notebooks (widget state, cache, failures), build_all, the report.

The site it renders is tested in tests/test_site_*.py; ``crmkit build --data`` in
tests/test_build_data.py.
"""

from __future__ import annotations

import hashlib
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import crmkit.build
from crmkit.build import build_all, execute_notebooks, format_report


def test_format_report_ends_with_the_index_path():
    report = {
        "notebooks": {"00-a.ipynb": {"seconds": 3.2, "cached": False},
                      "01-b.ipynb": {"seconds": 0.0, "cached": True},
                      "02-c.ipynb": {"seconds": 1.0, "cached": False, "error": "NameError: x"}},
        "failed": ["02-c.ipynb"], "execute_seconds": 4.3, "pages_written": ["index.html"],
        "pages_unchanged": [], "render_seconds": 0.5, "warnings": ["w"], "seconds": 4.8,
        "index": "/x/site/index.html",
    }
    text = format_report(report)
    assert "00-a.ipynb: 3.2 s" in text and "01-b.ipynb: cached" in text
    assert "FAILED" in text and "NameError: x" in text and "warning: w" in text
    assert text.splitlines()[-1].endswith("/x/site/index.html")


@pytest.mark.slow
def test_execute_notebooks_stores_widget_state_caches_and_reports_failures(tmp_path, monkeypatch):
    # the cache key also hashes crmkit's code: keep it fixed while others edit it
    monkeypatch.setattr(crmkit.build, "code_hash", lambda: hashlib.sha256(b"fixed"))
    src, out = tmp_path / "nb", tmp_path / "out"
    src.mkdir()
    good = new_notebook(cells=[new_code_cell("import ipywidgets as W\nW.IntSlider(3)")])
    bad = new_notebook(cells=[new_code_cell("raise ValueError('boom')")])
    nbformat.write(good, src / "00-good.ipynb")
    nbformat.write(bad, src / "01-bad.ipynb")
    report = execute_notebooks(src, out, progress=False, errors="report", timeout=60)
    assert report["00-good.ipynb"]["cached"] is False and "error" not in report["00-good.ipynb"]
    assert "ValueError" in report["01-bad.ipynb"]["error"]
    assert not (out / "01-bad.ipynb").exists()
    done = nbformat.read(out / "00-good.ipynb", as_version=4)
    assert "application/vnd.jupyter.widget-state+json" in done.metadata["widgets"]
    again = execute_notebooks(src, out, progress=False, errors="report", timeout=60)
    assert again["00-good.ipynb"]["cached"] is True and "error" in again["01-bad.ipynb"]
    with pytest.raises(Exception, match="boom"):
        execute_notebooks(src, out, progress=False, timeout=60)
    assert json.loads((out / ".cache.json").read_text()).keys() == {"00-good.ipynb"}
    site = build_all(src=src, build_dir=out, out=tmp_path / "site", progress=False)
    assert site["failed"] == ["01-bad.ipynb"] and site["lessons"] == ["00-good"]
