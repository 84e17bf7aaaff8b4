"""The version of this project's Sphinx extensions, taken from their code.

Sphinx keeps what it read of each page and re-reads only pages whose source changed: a change to a
transform or to what the extensions add to every page would reach only the pages edited since.
Sphinx discards its saved environment when an extension's ``env_version`` changes, so each
extension declares a version computed from the code that shapes its pages.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def env_version(*modules: str) -> int:
    """A number that changes whenever one of ``modules`` (file names in tipkb/) changes."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(name.encode() + b"\0" + (HERE / name).read_bytes())
    return int(digest.hexdigest()[:12], 16)


def metadata(*modules: str) -> dict:
    return {"version": "0.1", "env_version": env_version(*modules), "parallel_read_safe": True,
            "parallel_write_safe": True}
