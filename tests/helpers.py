"""Test data and hand-written reference values shared by several test modules.

Nothing here calls lrsched: expected values are written out from the formulas.
"""

from __future__ import annotations

import math
from typing import Any


def warmup_cosine(t: int, *, warmup: int, base_lr: float, min_lr: float, total: int) -> float:
    """``warmup >> cosine(base_lr=..., min_lr=..., total_steps=total)``, by hand."""
    if t < warmup:
        return base_lr * t / warmup
    c = min(t - warmup, total)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * c / total)) / 2


def nested_scaled_state(depth: int) -> dict[str, Any]:
    """A state of ``depth + 1`` nested ``scaled`` schedules around a constant, built iteratively."""
    root: dict[str, Any] = {"type": "scaled", "factor": 1.0}
    node = root
    for _ in range(depth):
        child: dict[str, Any] = {"type": "scaled", "factor": 1.0}
        node["schedule"] = child
        node = child
    node["schedule"] = {"type": "constant", "lr": 1.0}
    return root
