"""``python -m lrsched``: the same program as the ``lrsched`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
