"""Checkpoint and resume a schedule in a plain training loop.

The loop drives the learning rate with ``schedule.iter()``. Half-way it saves
the stepper's state as JSON (as a training checkpoint would), "crashes", and
a fresh stepper resumes from the file. The resumed run must yield exactly the
values of an uninterrupted run; the script exits 1 if it does not.

    python examples/checkpoint_resume.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import lrsched

SCHEDULE = 100 >> lrsched.cosine(base_lr=3e-4, min_lr=3e-6, total_steps=900)
CRASH_AT = 437


def train(path: Path) -> list[float]:
    """Run until CRASH_AT, checkpointing the stepper to *path*; return the rates used."""
    rates = []
    stepper = SCHEDULE.iter()
    for lr in stepper:
        rates.append(lr)  # optimizer.step() with this lr would go here
        if stepper.step == CRASH_AT:
            path.write_text(json.dumps({"scheduler": stepper.state_dict()}))
            break
    return rates


def resume(path: Path) -> list[float]:
    """In a fresh stepper, load the checkpoint and run to the end; return the rates used."""
    state = json.loads(path.read_text())["scheduler"]
    stepper = SCHEDULE.iter()
    stepper.load_state_dict(state)  # raises if the saved schedule differs
    rates = list(stepper)
    # The state alone is enough too: it holds the schedule's configuration.
    rebuilt = lrsched.Stepper.from_state_dict(state)
    if list(rebuilt) != rates:
        print("Stepper.from_state_dict resumed differently from load_state_dict")
        raise SystemExit(1)
    return rates


def main() -> int:
    reference = list(SCHEDULE.iter())
    with tempfile.TemporaryDirectory() as folder:
        checkpoint = Path(folder) / "checkpoint.json"
        first = train(checkpoint)
        print(f"checkpoint at step {CRASH_AT}: {checkpoint.read_text()[:70]}...")
        rest = resume(checkpoint)
    run = first + rest
    if run != reference:
        bad = next(
            (i for i, (a, b) in enumerate(zip(run, reference, strict=False)) if a != b),
            min(len(run), len(reference)),
        )
        print(f"MISMATCH at step {bad}: resumed run differs from the uninterrupted run")
        return 1
    print(
        f"resumed at step {CRASH_AT}: all {len(run)} learning rates equal the "
        f"uninterrupted run (last {run[-1]!r})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
