"""``crmkit build --data DIR --out OUT``: the playbook on a team's own data, in a folder of its own.

Two small lessons (a parameters cell, then a cell that loads the world the
way every lesson does) are built on a folder made by ``crmkit import``. The
lessons get the folder through papermill's parameter injection, the pages say
which data they show, the kit's own site/ and build/ are untouched, and a
changed data file runs the lessons again.
"""

from __future__ import annotations

import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmkit.build import ROOT, build_all
from crmkit.cli import main
from crmkit.own_data import import_transactions

EXPORT = "customer_id,date,amount\nA,2024-01-05,10\nB,2024-01-20,5\nA,2024-02-10,20\n"


def _lesson(number: int, title: str):
    params = new_code_cell("DATA_DIR = None  # a data folder, or None for the kit's data")
    params.metadata["tags"] = ["parameters"]
    return new_notebook(
        cells=[
            new_markdown_cell(f"# {number:02d} · {title}\n\nA test lesson."),
            params,
            new_code_cell(
                "from crmkit.lessons import lesson_world\n"
                "world = lesson_world(DATA_DIR)\n"
                "print('DATA:', world.describe())"
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},  # fmt: skip
    )


@pytest.fixture
def setup(tmp_path):
    src = tmp_path / "notebooks"
    src.mkdir()
    for n, title in ((1, "First steps"), (2, "Second steps")):
        nbformat.write(_lesson(n, title), src / f"{n:02d}-test-{n}.ipynb")
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    data = import_transactions(tmp_path / "export.csv", tmp_path / "ours", name="Our shop")
    return src, data, tmp_path


def _listing(folder):
    if not folder.exists():
        return None
    return sorted((str(p.relative_to(folder)), p.stat().st_mtime_ns) for p in folder.rglob("*"))


@pytest.mark.slow
def test_the_lessons_run_on_the_folder_and_every_page_says_which_data(setup):
    src, data, tmp = setup
    kit_site, kit_build = _listing(ROOT / "site"), _listing(ROOT / "build")
    out = tmp / "our-playbook"
    report = build_all(src=src, data=data, out=out, progress=False)
    assert report["failed"] == [], report["notebooks"]
    label = "Our shop: 2 customers, 3 transactions, 2024-01-05 to 2024-02-10"
    for name in ("01-test-1", "02-test-2"):
        executed = nbformat.read(out / ".build" / "notebooks" / f"{name}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
        assert f"DATA: {label}" in text  # the lesson loaded the folder, not the kit's data
        tags = [c.metadata.get("tags", []) for c in executed.cells]
        injected = [c for c, t in zip(executed.cells, tags, strict=True)
                    if "injected-parameters" in t]  # fmt: skip
        assert injected and str(data.resolve()) in injected[0].source
        for edition in ("playbook", "course"):
            page = (out / edition / f"{name}.html").read_text(encoding="utf-8")
            assert label in page, (edition, name)
            assert "every customer in it is synthetic" not in page
    assert label in (out / "index.html").read_text(encoding="utf-8")
    assert _listing(ROOT / "site") == kit_site and _listing(ROOT / "build") == kit_build
    # run again: cached; change the data: run again
    again = build_all(src=src, data=data, out=out, progress=False)
    assert all(r["cached"] for r in again["notebooks"].values())
    with (data / "transactions.csv").open("a", encoding="utf-8") as f:
        f.write("4,1,2024-03-01,7.5\n")
    os.utime(data / "transactions.csv")
    third = build_all(src=src, data=data, out=out, progress=False)
    assert not any(r["cached"] for r in third["notebooks"].values())
    page = (out / "playbook" / "01-test-1.html").read_text(encoding="utf-8")
    assert "4 transactions, 2024-01-05 to 2024-03-01" in page


def test_a_data_build_needs_a_folder_of_its_own(setup, capsys):
    src, data, tmp = setup
    with pytest.raises(ValueError, match="with `data` pass `out` too"):
        build_all(src=src, data=data, progress=False)
    for kit in (ROOT / "site", ROOT / "datasets" / "mine"):
        with pytest.raises(ValueError, match="choose another folder"):
            build_all(src=src, data=data, out=kit, progress=False)
    assert main(["build", "--data", str(data)]) == 2
    assert "--out" in capsys.readouterr().err


def test_a_broken_data_folder_is_refused_before_any_lesson_runs(setup):
    src, data, tmp = setup
    (data / "transactions.csv").write_text("customer_id,date,amount\n1,soon,5\n", "utf-8")
    with pytest.raises(ValueError, match="'date' has dates that cannot be read"):
        build_all(src=src, data=data, out=tmp / "o", progress=False)
    assert not (tmp / "o").exists()


def test_the_kernels_run_at_once_fit_in_the_memory(tmp_path, monkeypatch):
    from crmkit import build

    (tmp_path / "transactions.csv").write_bytes(b"x" * 1000)
    assert build.kernel_memory(tmp_path) == 2**29 + 8000
    assert build._kernels_that_fit(None) == 2
    assert build._kernels_that_fit({"DATA_DIR": str(tmp_path)}) >= 1
    monkeypatch.setattr(build, "kernel_memory", lambda folder: 2**60)  # a huge folder
    assert build._kernels_that_fit({"DATA_DIR": str(tmp_path)}) == 1
