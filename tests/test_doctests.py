"""The Examples sections of crmkit's docstrings run and give what they say."""

import doctest
import importlib
import pkgutil

import matplotlib
import pytest

import crmkit

matplotlib.use("Agg")

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(crmkit.__path__, "crmkit.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    import matplotlib.pyplot as plt

    plt.close("all")  # examples draw on the current figure: start each module clean
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    report = []
    for test in finder.find(module, name):
        runner.run(test, out=report.append)
    plt.close("all")
    assert runner.failures == 0, "".join(report)
