"""Every lesson runs on other parameters too: another locale and another seed.

nbmake (``make test``) runs each notebook as committed, on the default dataset.
Here each notebook runs once more through papermill with a non-English locale and
a second seed (fa_IR among them), so no lesson depends on the default data or on
English names. Outputs go to a temporary folder; the notebooks are not touched.
"""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
VARIANTS = [("fa_IR", 5), ("pl_PL", 11), ("ru_RU", 13), ("fi_FI", 17)]


def _params(i):
    locale, seed = VARIANTS[i % len(VARIANTS)]
    return {"LOCALE": locale, "SEED": seed, "N_CUSTOMERS": 900}


@pytest.mark.parametrize("i,path", list(enumerate(NOTEBOOKS)), ids=[p.stem for p in NOTEBOOKS])
def test_lesson_runs_with_another_locale_and_seed(i, path, tmp_path):
    papermill = pytest.importorskip("papermill")
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell must be tagged 'parameters'"
    for name in ("SEED", "LOCALE", "N_CUSTOMERS", "DATA_DIR"):
        assert f"{name} =" in tagged[0].source, f"{path.name}: parameters cell lacks {name}"
    params = _params(i)
    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), parameters=params, cwd=str(path.parent),
                               kernel_name="python3", progress_bar=False, log_output=False)
    executed = nbformat.read(out, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_fa_ir_is_among_the_runs():
    assert any(_params(i)["LOCALE"] == "fa_IR" for i in range(len(NOTEBOOKS)))


EXERCISES = sorted((ROOT / "exercises").glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS + EXERCISES, ids=lambda p: p.stem)
def test_papermill_reads_every_parameter(path, caplog):
    # `papermill --help-notebook` and the "unknown parameter" check read the
    # parameters cell line by line; a line it cannot parse (two "=" on it) hides
    # the parameter and makes papermill warn that SEED is unknown.
    papermill = pytest.importorskip("papermill")
    expected = (
        {"SEED", "LOCALE", "N_CUSTOMERS", "PARTICIPANT", "DATA_DIR"}
        if path.parent.name == "exercises"
        else {"SEED", "LOCALE", "N_CUSTOMERS", "DATA_DIR"}
    )
    with caplog.at_level("WARNING", logger="papermill"):
        found = papermill.inspect_notebook(str(path))
    assert set(found) == expected
    assert not [r for r in caplog.records if "Unable to parse" in r.getMessage()]
