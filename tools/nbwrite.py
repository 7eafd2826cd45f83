"""Write a lesson notebook from a list of (kind, source) pairs with stable cell ids.

Used by the authors of notebooks (not by the kit at run time)::

    from tools.nbwrite import write_notebook
    write_notebook("notebooks/00-start-here.ipynb", "s00", [("md", "# Title"), ...])

Cell ids are ``{prefix}-{index:02d}``; the cell whose source starts with
``# Parameters`` is tagged ``parameters`` (papermill), cells whose source starts
with ``# solution`` are tagged ``solution``.
"""

from __future__ import annotations

import nbformat


def write_notebook(path, prefix: str, cells) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    for i, (kind, source) in enumerate(cells):
        source = source.strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
            tags = []
            if source.startswith("# Parameters"):
                tags.append("parameters")
            if source.startswith("# solution"):
                tags.append("solution")
            if tags:
                cell.metadata["tags"] = tags
        cell.id = f"{prefix}-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    nbformat.write(nb, path)
