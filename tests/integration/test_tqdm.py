"""A real tqdm progress bar over a resumed stepper shows position and total."""

from __future__ import annotations

import io

import pytest
from tqdm import tqdm

from lrsched import cosine

pytestmark = pytest.mark.integration


class TestProgressBar:
    """Tests for ``tqdm(stepper, initial=stepper.step, total=stepper.end)``."""

    def test_resumed_stepper(self) -> None:
        """After a resume at step 40 of 100 the bar counts 40 -> 100, not 0 -> 60."""
        it = cosine(base_lr=1.0, min_lr=0.0, total_steps=100).iter()
        resumed = cosine(base_lr=1.0, min_lr=0.0, total_steps=100).iter()
        for _ in range(40):
            next(it)
        resumed.load_state_dict(it.state_dict())
        out = io.StringIO()
        bar = tqdm(resumed, initial=resumed.step, total=resumed.end, file=out, mininterval=0)
        values = list(bar)
        bar.close()
        assert len(values) == 60
        assert (bar.n, bar.total) == (100, 100)
        assert "100/100" in out.getvalue()

    def test_plain_tqdm_shows_the_remaining_length(self) -> None:
        """Without initial/total, tqdm takes len(stepper): the steps left."""
        it = cosine(base_lr=1.0, min_lr=0.0, total_steps=10).iter(start=4)
        bar = tqdm(it, file=io.StringIO())
        assert bar.total == 6
        bar.close()
