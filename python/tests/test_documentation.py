"""docs/python.md's notebook runs as written and says what it shows."""

import os
import re

import pytest


def test_the_notebook_in_docs_python_md_runs_and_shows_what_it_says(repository, monkeypatch):
    pytest.importorskip("matplotlib", reason="matplotlib is installed by .ci/run")
    pytest.importorskip("distributed", reason="distributed is installed by .ci/run")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(repository)
    text = (repository / "docs" / "python.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 4
    namespace = {}
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), namespace)
    assert namespace["frame"].celsius.shape == (120, 160)
    assert namespace["report"]["verdict"]["manipulation"] == "suspected"
    judged = [(c["camera"], c["state"]) for c in namespace["audit"]["cameras"]]
    assert judged == [("gate-3", "normalising"), ("gate-1", "consistent"), ("gate-2", "consistent")]
