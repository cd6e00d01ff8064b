"""Collection rules shared by the unit and the integration runs.

Integration tests (``tests/integration``) and the framework adapters' doctests
need real frameworks; `make test-integrations` sets ``LRSCHED_INTEGRATION=1``
and installs them. Without it they are not collected, so a plain ``pytest``
runs the whole core suite on a dev install alone.
"""

import os

INTEGRATION = bool(os.environ.get("LRSCHED_INTEGRATION"))

collect_ignore = [] if INTEGRATION else [
    "tests/integration",
    "src/lrsched/torch.py",
    "src/lrsched/keras.py",
    "docs/integrations.md",
]
