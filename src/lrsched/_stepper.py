"""Steppers: iterate a schedule in a training loop and checkpoint the position.

``for lr in schedule.iter(): ...`` yields ``schedule(0), schedule(1), ...``.
``stepper.step`` is the step whose value the next ``next()`` returns, that
is, the number of optimizer updates completed. A stepper's `state_dict`
holds a format version, the step and the schedule's state, so a run resumed
from it yields exactly what the uninterrupted run would have.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from ._base import _Node, kernel_of
from ._math import SCALAR
from ._state import ScheduleMismatchError, from_state_dict, schedule_state, state_diff
from ._validate import did_you_mean

__all__ = ["FORMAT_VERSION", "ReduceOnPlateau", "Stepper", "reduce_on_plateau"]

#: Version of the stepper state format this library writes and reads.
FORMAT_VERSION = 1

_NO_END = 2**63  # an int sentinel keeps the per-step comparison int-to-int


def _count(name: str, value: object, minimum: int = 0) -> int:
    if type(value) is not int:
        raise TypeError(f"{name!r} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name!r} must be >= {minimum}, got {value!r}")
    return value


def _state_of(schedule: Any) -> dict[str, Any] | None:
    # A plain callable cannot be saved: its position still can (schedule None).
    if isinstance(schedule, _Node):
        return schedule_state(schedule)
    return None


class Stepper(Iterator[Any]):
    """An iterator over a schedule's values that knows its step; see `BaseSchedule.iter`.

    Attributes:
        schedule: The schedule it steps through.
        step: The step whose value the next ``next()`` returns (updates completed).
        stop: The explicit stop step, or ``None``.

    Examples:
        >>> from lrsched import linear
        >>> it = linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()
        >>> next(it), next(it), it.step, len(it)
        (1.0, 0.75, 2, 2)
        >>> state = it.state_dict()
        >>> resumed = linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()
        >>> resumed.load_state_dict(state)
        >>> list(resumed)
        [0.5, 0.25]
    """

    __slots__ = ("_end", "_fn", "schedule", "step", "stop")

    schedule: Any
    step: int
    stop: int | None

    def __init__(self, schedule: Callable[[int], Any], *, start: int = 0, stop: int | None = None):
        if not callable(schedule):
            raise TypeError(f"'schedule' must be a schedule, got {schedule!r}")
        self.schedule = schedule
        self._fn = kernel_of(schedule, SCALAR)
        self.step = _count("start", start)
        self.stop = None if stop is None else _count("stop", stop)
        self._end = self._end_of(stop)

    def _end_of(self, stop: int | None) -> int:
        if stop is not None:
            return stop
        total = getattr(self.schedule, "total_steps", None)
        return _NO_END if total is None else total

    def __iter__(self) -> Stepper:
        return self

    def __next__(self) -> Any:
        t = self.step
        if t >= self._end:
            raise StopIteration
        self.step = t + 1
        return self._fn(t)

    def __len__(self) -> int:
        if self._end == _NO_END:
            raise TypeError("an unbounded stepper has no length; pass stop= to iter()")
        return max(0, self._end - self.step)

    def __repr__(self) -> str:
        stop = "" if self.stop is None else f", stop={self.stop}"
        return f"{type(self).__name__}({self.schedule!r}, step={self.step}{stop})"

    @property
    def lr(self) -> Any:
        """The value the next ``next()`` returns, without advancing."""
        return self._fn(self.step)

    # -- checkpoints ---------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """Format version, step, stop (if set) and the schedule's state, as plain data."""
        state: dict[str, Any] = {"version": FORMAT_VERSION, "step": self.step}
        if self.stop is not None:
            state["stop"] = self.stop
        state["schedule"] = _state_of(self.schedule)
        return state

    def load_state_dict(self, state: dict[str, Any], *, strict: bool = True) -> None:
        """Restore the position saved by `state_dict`.

        With *strict*, a saved schedule that differs from this stepper's raises
        `ScheduleMismatchError` listing the differences; ``strict=False`` keeps
        this stepper's schedule and restores only the position. A failed load
        leaves the stepper exactly as it was.
        """
        values = self._parse(state, strict=strict)
        for key, value in values.items():
            setattr(self, key, value)
        self._end = self._end_of(self.stop)

    def _parse(self, state: Any, *, strict: bool) -> dict[str, Any]:
        """Validate *state* completely; return the attributes to assign."""
        fields = _parse_common(state, self._extra_keys())
        if strict and fields["schedule"] is not None:
            current = _state_of(self.schedule)
            if current is not None:
                diff = state_diff(fields["schedule"], current)
                if diff:
                    raise ScheduleMismatchError(diff)
        return {"step": fields["step"], "stop": fields["stop"]}

    def _extra_keys(self) -> frozenset[str]:
        return frozenset()

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> Stepper:
        """Rebuild schedule and position from a `state_dict` alone."""
        fields = _parse_common(state, frozenset())
        if fields["schedule"] is None:
            raise ValueError("this state has no schedule (it was a plain callable)")
        stepper = cls(from_state_dict(fields["schedule"]), stop=fields["stop"])
        stepper.step = fields["step"]
        return stepper


def _parse_common(state: Any, extra: frozenset[str]) -> dict[str, Any]:
    if not isinstance(state, dict):
        raise ValueError(f"a stepper state must be a dict, got {type(state).__name__}")
    known = {"version", "step", "stop", "schedule"} | extra
    unknown = sorted(k for k in state if k not in known)
    if unknown:
        raise ValueError(
            f"stepper state has unexpected key(s): {', '.join(map(str, unknown))}"
            + did_you_mean(str(unknown[0]), known)
        )
    for key in ("version", "step", "schedule"):
        if key not in state:
            raise ValueError(f"stepper state is missing the key {key!r}")
    version = state["version"]
    if type(version) is not int or version < 1:
        raise ValueError(f"stepper state 'version' must be an int >= 1, got {version!r}")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"stepper state has format version {version}, newer than this lrsched "
            f"understands ({FORMAT_VERSION}); upgrade lrsched"
        )
    step, stop = state["step"], state.get("stop")
    if type(step) is not int or step < 0:
        raise ValueError(f"stepper state 'step' must be an int >= 0, got {step!r}")
    if stop is not None and (type(stop) is not int or stop < 0):
        raise ValueError(f"stepper state 'stop' must be an int >= 0 or absent, got {stop!r}")
    schedule = state["schedule"]
    if schedule is not None:
        from_state_dict(schedule)  # validates: raises ValueError naming the problem
    return {"step": step, "stop": stop, "schedule": schedule}


# -- reduce on plateau ---------------------------------------------------------------


class ReduceOnPlateau(Stepper):
    """A stepper whose rate drops by *factor* when a reported metric stops improving.

    It yields ``max(schedule(step) * scale, min_lr)``. Call `report` with the
    metric after each evaluation: when it has not improved for more than
    *patience* reports, ``scale`` is multiplied by *factor* and *cooldown*
    reports pass before bad reports count again. Build it with
    `reduce_on_plateau`.

    Matches ``torch.optim.lr_scheduler.ReduceLROnPlateau`` (given a constant
    schedule and the same metrics), including its *eps*: a reduction smaller
    than *eps* is skipped.

    Examples:
        >>> from lrsched import constant, reduce_on_plateau
        >>> it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1)
        >>> for loss in [3.0, 2.0, 2.0, 2.0, 2.0]:
        ...     lr = next(it)
        ...     it.report(loss)
        >>> it.lr
        0.5
    """

    __slots__ = (
        "best",
        "cooldown",
        "cooldown_counter",
        "eps",
        "factor",
        "min_lr",
        "mode",
        "num_bad",
        "patience",
        "scale",
        "threshold",
        "threshold_mode",
    )

    _CONFIG = ("factor", "patience", "mode", "threshold", "threshold_mode", "cooldown", "min_lr", "eps")
    _COUNTERS = ("scale", "best", "num_bad", "cooldown_counter")

    def __init__(
        self,
        schedule: Callable[[int], float],
        *,
        factor: float,
        patience: int,
        mode: str = "min",
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
        start: int = 0,
        stop: int | None = None,
    ) -> None:
        super().__init__(schedule, start=start, stop=stop)
        self.factor = _real("factor", factor, lo=0.0, hi=1.0)
        self.patience = _count("patience", patience)
        self.mode = _choice("mode", mode, ("min", "max"))
        self.threshold = _real("threshold", threshold, lo=0.0)
        self.threshold_mode = _choice("threshold_mode", threshold_mode, ("rel", "abs"))
        self.cooldown = _count("cooldown", cooldown)
        self.min_lr = _real("min_lr", min_lr, lo=0.0)
        self.eps = _real("eps", eps, lo=0.0)
        self.scale = 1.0
        self.best: float | None = None
        self.num_bad = 0
        self.cooldown_counter = 0

    def __next__(self) -> float:
        return max(super().__next__() * self.scale, self.min_lr)

    @property
    def lr(self) -> float:
        """The value the next ``next()`` returns, without advancing."""
        return max(self._fn(self.step) * self.scale, self.min_lr)

    def _improves(self, metric: float, best: float) -> bool:
        if self.mode == "min":
            bound = best * (1 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold
            return metric < bound
        bound = best * (1 + self.threshold) if self.threshold_mode == "rel" else best + self.threshold
        return metric > bound

    def report(self, metric: float) -> None:
        """Record one evaluation's metric; may reduce the rate of the next steps."""
        value = float(metric)
        if math.isnan(value):
            raise ValueError("metric must not be NaN")
        if self.best is None or self._improves(value, self.best):
            self.best = value
            self.num_bad = 0
        else:
            self.num_bad += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad = 0
        if self.num_bad > self.patience:
            old = self.lr
            new = max(self._fn(self.step) * self.scale * self.factor, self.min_lr)
            if old - new > self.eps:
                self.scale *= self.factor
            self.cooldown_counter = self.cooldown
            self.num_bad = 0

    def state_dict(self) -> dict[str, Any]:
        """The stepper state plus configuration, scale, best metric and counters."""
        state = super().state_dict()
        for key in (*self._CONFIG, *self._COUNTERS):
            state[key] = getattr(self, key)
        return state

    def _extra_keys(self) -> frozenset[str]:
        return frozenset((*self._CONFIG, *self._COUNTERS))

    def _parse(self, state: Any, *, strict: bool) -> dict[str, Any]:
        values = super()._parse(state, strict=strict)
        missing = [k for k in (*self._CONFIG, *self._COUNTERS) if k not in state]
        if missing:
            raise ValueError(f"reduce-on-plateau state is missing key(s): {', '.join(missing)}")
        probe = ReduceOnPlateau(
            self.schedule, **{k: state[k] for k in self._CONFIG if k != "eps"}, eps=state["eps"]
        )  # validates the configuration
        if strict:
            diff = [(k, state[k], getattr(self, k)) for k in self._CONFIG if state[k] != getattr(self, k)]
            if diff:
                raise ScheduleMismatchError(diff)
        else:
            values.update({k: getattr(probe, k) for k in self._CONFIG})
        scale, best = state["scale"], state["best"]
        if type(scale) is not float or not 0 < scale <= 1:
            raise ValueError(f"reduce-on-plateau 'scale' must be a float in (0, 1], got {scale!r}")
        if best is not None and type(best) is not float:
            raise ValueError(f"reduce-on-plateau 'best' must be a float or None, got {best!r}")
        values["scale"], values["best"] = scale, best
        values["num_bad"] = _state_count("num_bad", state["num_bad"])
        values["cooldown_counter"] = _state_count("cooldown_counter", state["cooldown_counter"])
        return values

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> ReduceOnPlateau:
        """Rebuild a reduce-on-plateau stepper from its `state_dict` alone."""
        base = Stepper.from_state_dict({k: v for k, v in state.items() if k in ("version", "step", "stop", "schedule")})
        config = {k: state.get(k) for k in cls._CONFIG}
        try:
            stepper = cls(base.schedule, **config, stop=base.stop)  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            raise ValueError(f"invalid reduce-on-plateau state: {error}") from None
        stepper.load_state_dict(state)
        return stepper


def _state_count(name: str, value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"reduce-on-plateau {name!r} must be an int >= 0, got {value!r}")
    return value


def _real(name: str, value: object, *, lo: float, hi: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name!r} must be a number, got {value!r}")
    v = float(value)
    if hi is not None:
        if not lo < v < hi:
            raise ValueError(f"{name!r} must be in ({lo}, {hi}), got {value!r}")
    elif not (math.isfinite(v) and v >= lo):
        raise ValueError(f"{name!r} must be a finite number >= {lo}, got {value!r}")
    return v


def _choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name!r} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value  # type: ignore[return-value]


def reduce_on_plateau(
    schedule: Callable[[int], float],
    *,
    factor: float,
    patience: int,
    mode: str = "min",
    threshold: float = 1e-4,
    threshold_mode: str = "rel",
    cooldown: int = 0,
    min_lr: float = 0.0,
    eps: float = 1e-8,
) -> ReduceOnPlateau:
    """A `ReduceOnPlateau` stepper over *schedule*; report metrics with ``.report(metric)``."""
    return ReduceOnPlateau(
        schedule,
        factor=factor,
        patience=patience,
        mode=mode,
        threshold=threshold,
        threshold_mode=threshold_mode,
        cooldown=cooldown,
        min_lr=min_lr,
        eps=eps,
    )
