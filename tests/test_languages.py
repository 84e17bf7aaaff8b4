"""Languages are a list (issue 15): a generated pseudo-language added to a small copy of the
project builds as a complete third site with no English interface text left in it. Nothing of
it is published."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bookcopy import make_small_copy


@pytest.mark.slow
def test_a_third_language_builds_from_the_language_list_alone(tmp_path):
    root = make_small_copy(tmp_path / "book")
    env = dict(os.environ, PYTHONPATH=str(root))
    result = subprocess.run([sys.executable, "-m", "tipkb.build.pseudo", str(root)], cwd=root, env=env,
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    site = root / "_build" / "site"
    page = (site / "qps" / "book" / "countries" / "arg.html").read_text(encoding="utf-8")
    assert '<html lang="qps"' in page and "⟦" in page
    # The language menu now offers two other languages on every page.
    assert page.count('class="kb-lang-menu"') == 1 or page.count("data-kb-lang=") >= 2
    root_index = (site / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="qps"' in root_index
