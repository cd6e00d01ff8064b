"""Collection rules shared by the unit and the integration runs.

Integration tests (``tests/integration``), the framework adapters' doctests and
the docs page on integrations need real frameworks; `make test-integrations`
sets ``LRSCHED_INTEGRATION=1`` and installs them. Without it they are not
collected, so a plain ``pytest`` runs the whole core suite on a dev install
alone. With it, those doctests are marked ``integration`` so that
``pytest -m integration`` runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

INTEGRATION = bool(os.environ.get("LRSCHED_INTEGRATION"))

_FRAMEWORK_FILES = {
    Path("src/lrsched/torch.py"),
    Path("src/lrsched/keras.py"),
    Path("docs/integrations.md"),
}

collect_ignore = [] if INTEGRATION else ["tests/integration", *map(str, _FRAMEWORK_FILES)]

if INTEGRATION:
    # Keras 3 defaults to TensorFlow; the in-process Keras tests use jax (the
    # TensorFlow and torch backends are tested in fresh interpreters).
    os.environ.setdefault("KERAS_BACKEND", "jax")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the doctests of framework files as integration tests."""
    root = Path(config.rootpath)
    for item in items:
        try:
            rel = item.path.relative_to(root)
        except ValueError:
            continue
        if rel in _FRAMEWORK_FILES:
            item.add_marker(pytest.mark.integration)
