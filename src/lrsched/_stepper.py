"""Steppers: iterate a schedule in a training loop and checkpoint the position.

``for lr in schedule.iter(): ...`` yields ``schedule(0), schedule(1), ...``:
the value yielded k-th (counting from 0) is ``schedule(k)``, the learning rate
of optimizer update number k. ``stepper.step`` is the step whose value the
next ``next()`` returns, that is, the number of updates completed.

A stepper's `state_dict` is plain data (a format version, the step, the stop
if set, and the schedule's state), so it checkpoints as JSON or with torch::

    json.dump(stepper.state_dict(), file)                     # JSON
    torch.save({"model": model.state_dict(), "lr": stepper.state_dict()}, path)
    checkpoint = torch.load(path, weights_only=True)          # torch
    stepper.load_state_dict(checkpoint["lr"])                 # same schedule, resumed
    stepper = lrsched.Stepper.from_state_dict(checkpoint["lr"])   # or rebuilt from the state

A resumed stepper yields exactly what the uninterrupted run would have.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from ._base import kernel_of
from ._math import SCALAR

if TYPE_CHECKING:
    from ._plans import Resume
from ._state import (
    ScheduleMismatchError,
    _build,
    _Unserializable,
    schedule_state,
    state_diff,
)
from ._validate import (
    MAX_COUNT,
    check_choice,
    check_count,
    check_ge,
    check_lr,
    check_named,
    check_range,
    did_you_mean,
    show,
    to_float,
    to_int,
)

__all__ = ["FORMAT_VERSION", "ReduceOnPlateau", "Stepper", "reduce_on_plateau"]

#: Version of the stepper state format this library writes (and the newest it reads).
FORMAT_VERSION = 1

_NO_END = 2**63  # an int sentinel keeps the per-step comparison int-to-int
_POSITION_KEYS = ("version", "step", "stop", "schedule")


def _count(name: str, value: object) -> int:
    """A step number given by the caller: an int (or integer-like) >= 0."""
    return check_named(name, value, to_int, check_count(0))  # type: ignore[no-any-return]


def _state_of(schedule: object) -> dict[str, Any] | None:
    # A schedule that is or holds a plain callable has no state: only the
    # position is saved (schedule None). An unregistered class still raises.
    try:
        return schedule_state(schedule)
    except _Unserializable:
        return None


class _Position:
    """The validated common part of a stepper state.

    (A plain class: a NamedTuple would cost a generated class at import.)
    """

    __slots__ = ("schedule", "schedule_state", "step", "stop")

    def __init__(
        self,
        step: int,
        stop: int | None,
        schedule: Any,  # the rebuilt schedule, or None
        schedule_state: dict[str, Any] | None,  # its normalized state, or None
    ) -> None:
        self.step, self.stop = step, stop
        self.schedule, self.schedule_state = schedule, schedule_state


class Stepper(Iterator[Any]):
    """An iterator over a schedule's values that knows its step; see `BaseSchedule.iter`.

    It yields ``schedule(start), schedule(start + 1), ...``: the value of
    step k is the learning rate of optimizer update number k (counting from
    0), so take one value before each update. It stops at *stop*, else after
    ``schedule.total_steps`` values for a bounded schedule, else never. A group
    schedule yields dicts.

    Args:
        schedule: The schedule (any ``step -> lr`` callable).
        start: The first step.
        stop: The step to stop at (its value is not yielded), or ``None``.

    Attributes:
        schedule: The schedule it steps through.
        step: The step whose value the next ``next()`` returns (updates completed).
        stop: The explicit stop step, or ``None``.
        resumed: What the last `load_state_dict` found at the resume step (a
            `lrsched.Resume`: the saved and the new value, the jump), or ``None``.

    Like Python's own iterators, a stepper is not thread-safe: threads that
    share one may get a step twice and skip others (give each its own, or use
    a lock). Schedules themselves are pure and thread-safe.

    Checkpoint it with `state_dict` (plain data: ``json.dump`` it, or
    ``torch.save`` it and read it back with ``torch.load(path,
    weights_only=True)``) and resume with `load_state_dict` or
    `Stepper.from_state_dict`.

    Examples:
        >>> import json
        >>> from lrsched import linear
        >>> it = linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()
        >>> next(it), next(it), it.step, len(it)
        (1.0, 0.75, 2, 2)
        >>> saved = json.dumps(it.state_dict())
        >>> resumed = linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()
        >>> resumed.load_state_dict(json.loads(saved))
        >>> resumed.step, list(resumed)
        (2, [0.5, 0.25])
    """

    __slots__ = ("_end", "_fn", "resumed", "schedule", "step", "stop")

    schedule: Any
    step: int
    stop: int | None
    resumed: Resume | None

    def __init__(
        self, schedule: Callable[[int], Any], *, start: int = 0, stop: int | None = None
    ) -> None:
        if not callable(schedule) or isinstance(schedule, type):
            raise TypeError(f"'schedule' must be a schedule (step -> lr), got {show(schedule)}")
        self.schedule = schedule
        self._fn = kernel_of(schedule, SCALAR)
        self.step = _count("start", start)
        self.stop = None if stop is None else _count("stop", stop)
        self._end = self._end_of(self.stop)
        self.resumed = None

    def _end_of(self, stop: int | None) -> int:
        if stop is not None:
            return stop
        total = getattr(self.schedule, "total_steps", None)
        return _NO_END if total is None else int(total)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> Any:
        t = self.step
        if t >= self._end:
            raise StopIteration
        value = self._fn(t)  # before advancing: a failing schedule does not skip a step
        self.step = t + 1
        return value

    def __len__(self) -> int:
        """The number of values left; ``TypeError`` for an unbounded stepper."""
        if self.stop is None and self._end == _NO_END:
            raise TypeError("an unbounded stepper has no length; pass stop= to iter()")
        return max(0, self._end - self.step)

    def __repr__(self) -> str:
        stop = "" if self.stop is None else f", stop={self.stop}"
        return f"{type(self).__name__}({self.schedule!r}, step={self.step}{stop})"

    @property
    def end(self) -> int | None:
        """The step it stops at: *stop*, else a bounded schedule's ``total_steps``, else ``None``.

        With `step`, what a progress bar needs after a resume::

            tqdm(stepper, initial=stepper.step, total=stepper.end)
        """
        return None if self._end == _NO_END else self._end

    @property
    def lr(self) -> Any:
        """The value of the current `step` (what the next ``next()`` returns), without advancing."""
        return self._fn(self.step)

    # -- pickling: the compiled kernel is rebuilt, never pickled ---------------------

    def __getstate__(self) -> dict[str, Any]:
        names = {n for c in type(self).__mro__ for n in getattr(c, "__slots__", ())}
        return {n: getattr(self, n) for n in sorted(names - {"_fn"})}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self._fn = kernel_of(self.schedule, SCALAR)

    # -- checkpoints ---------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The position as plain data: format version, step, stop (if set), schedule state.

        The schedule state is ``None`` when the schedule is or holds a plain
        function (only the position is saved then).

        Examples:
            >>> from lrsched import constant
            >>> it = constant(lr=0.1).iter(stop=10)
            >>> _ = next(it)
            >>> it.state_dict()
            {'version': 1, 'step': 1, 'stop': 10, 'schedule': {'type': 'constant', 'lr': 0.1}}
        """
        state: dict[str, Any] = {"version": FORMAT_VERSION, "step": self.step}
        if self.stop is not None:
            state["stop"] = self.stop
        state["schedule"] = _state_of(self.schedule)
        return state

    def load_state_dict(
        self, state: Mapping[str, Any], *, strict: bool = True, warn_above: float | None = 1e-9
    ) -> None:
        """Restore the position saved by `state_dict`; `resumed` tells what changed at that step.

        The next value is then exactly the one the uninterrupted run would
        have yielded. With *strict*, a saved configuration (schedule, stop)
        that differs from this stepper's raises `ScheduleMismatchError`
        listing each difference as ``path: saved X, current Y``;
        ``strict=False`` keeps this stepper's configuration and restores only
        the position: a changed plan (a longer run, an earlier cooldown).
        Then `resumed`, a `lrsched.Resume`, holds the saved and the new
        schedule's value at the resume step and the jump between them; a
        relative jump above *warn_above* warns with `lrsched.PlanChangeWarning`.
        Invalid data raises ``ValueError``. A failed load (a warning made an
        error included) leaves the stepper exactly as it was.

        Args:
            state: A stepper state, e.g. from ``json.load`` or
                ``torch.load(..., weights_only=True)``.
            strict: Require the saved configuration to equal this one.
            warn_above: The relative jump (``|new - saved| / saved``) above
                which to warn; ``None``: never. The default only lets
                rounding noise pass.

        Examples:
            >>> import warnings
            >>> from lrsched import cosine
            >>> old = cosine(base_lr=1.0, min_lr=0.0, total_steps=100).iter(start=50)
            >>> new = cosine(base_lr=1.0, min_lr=0.0, total_steps=200).iter()
            >>> with warnings.catch_warnings(record=True) as caught:
            ...     warnings.simplefilter("always")
            ...     new.load_state_dict(old.state_dict(), strict=False)
            >>> report = new.resumed
            >>> new.step, f"{report.saved_lr:.4f}", f"{report.lr:.4f}", caught[0].category.__name__
            (50, '0.5000', '0.8536', 'PlanChangeWarning')
        """
        from ._plans import check_warn_above, warn_jump

        threshold = check_warn_above(warn_above)
        updates = self._parse(state, strict=strict)  # validates all; changes nothing
        warn_jump(updates["resumed"], threshold)  # before any change: an error leaves it as it was
        for name, value in updates.items():
            setattr(self, name, value)

    def _parse(self, state: object, *, strict: bool) -> dict[str, Any]:
        """Validate *state* completely; return the attributes to assign."""
        position = _parse_position(state, self._extra_keys())
        assert isinstance(state, Mapping)  # checked by _parse_position
        updates, config_differences = self._parse_extra(state)
        if strict:
            differences = self._differences(position) + config_differences
            if differences:
                raise ScheduleMismatchError(differences)
        from ._plans import resume_report

        saved = position.schedule if position.schedule_state is not None else None
        report = resume_report(saved, self.schedule, position.step)
        return {"step": position.step, **updates, "resumed": report}

    def _parse_extra(
        self, state: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
        """Subclasses: validate their own keys; return updates and setting differences."""
        return {}, []

    def _differences(self, position: _Position) -> list[tuple[str, Any, Any]]:
        out: list[tuple[str, Any, Any]] = []
        current = _state_of(self.schedule)
        if position.schedule_state is not None and current is not None:
            out += state_diff(position.schedule_state, current)
        if position.stop != self.stop:
            out.append(("stop", position.stop, self.stop))
        return out

    def _extra_keys(self) -> tuple[str, ...]:
        return ()

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Any]) -> Stepper:
        """Rebuild schedule and position from a `state_dict` alone.

        Examples:
            >>> from lrsched import Stepper, linear
            >>> it = linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()
            >>> _ = next(it)
            >>> list(Stepper.from_state_dict(it.state_dict()))
            [0.75, 0.5, 0.25]
        """
        position = _parse_position(state, ())
        return cls(_schedule_of(position), start=position.step, stop=position.stop)


def _schedule_of(position: _Position) -> Any:
    if position.schedule is None:
        raise ValueError(
            "this state has no schedule (the stepper's schedule was a plain function); "
            "build the stepper from the schedule and call load_state_dict"
        )
    return position.schedule


def _parse_position(state: object, extra: tuple[str, ...]) -> _Position:
    if not isinstance(state, Mapping):
        raise ValueError(
            f"a stepper state must be a dict, got {type(state).__name__} {show(state, 40)}"
        )
    known = (*_POSITION_KEYS, *extra)
    unknown = [k for k in state if k not in known]
    if unknown:
        hint = did_you_mean(unknown[0], known) if type(unknown[0]) is str else ""
        if not extra and "factor" in unknown:
            hint = "; this is a reduce-on-plateau state: use ReduceOnPlateau.from_state_dict"
        keys = ", ".join(show(k, 40) for k in unknown[:5])
        raise ValueError(f"stepper state has unexpected key(s) {keys}{hint}")
    for key in ("version", "step", "schedule"):
        if key not in state:
            raise ValueError(f"stepper state is missing the key {key!r}")
    version = state["version"]
    if type(version) is not int or version < 1:
        raise ValueError(f"stepper state 'version' must be an int >= 1, got {show(version)}")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"stepper state has format version {version}, newer than this lrsched "
            f"understands (up to {FORMAT_VERSION}); upgrade lrsched to load it"
        )
    step, stop = state["step"], state.get("stop")
    if type(step) is not int or not 0 <= step <= MAX_COUNT:
        raise ValueError(
            f"stepper state 'step' must be an int >= 0 and <= 2**63 - 1, got {show(step)}"
        )
    if stop is not None and (type(stop) is not int or not 0 <= stop <= MAX_COUNT):
        raise ValueError(
            "stepper state 'stop' must be an int >= 0 and <= 2**63 - 1, or absent, "
            f"got {show(stop)}"
        )
    if state["schedule"] is None:
        return _Position(step, stop, None, None)
    schedule = _build(state["schedule"], "schedule", 0)  # ValueError naming the problem
    return _Position(step, stop, schedule, schedule_state(schedule))


# -- reduce on plateau ---------------------------------------------------------------


_CONFIG = ("factor", "patience", "mode", "threshold", "threshold_mode", "cooldown", "min_lr", "eps")
_COUNTERS = ("scale", "best", "num_bad", "cooldown_counter")


def _as_is(value: Any) -> Any:
    return value


def _config(values: Mapping[str, Any]) -> dict[str, Any]:
    """The reduce-on-plateau settings, validated (``TypeError``/``ValueError``)."""
    return {
        "factor": check_named("factor", values["factor"], to_float, check_range(0, 1)),
        "patience": _count("patience", values["patience"]),
        "mode": check_named("mode", values["mode"], _as_is, check_choice("min", "max")),
        "threshold": check_named("threshold", values["threshold"], to_float, check_ge(0)),
        "threshold_mode": check_named(
            "threshold_mode", values["threshold_mode"], _as_is, check_choice("rel", "abs")
        ),
        "cooldown": _count("cooldown", values["cooldown"]),
        "min_lr": check_named("min_lr", values["min_lr"], to_float, check_lr),
        "eps": check_named("eps", values["eps"], to_float, check_ge(0)),
    }


class ReduceOnPlateau(Stepper):
    """A stepper whose rate drops by *factor* when a reported metric stops improving.

    The value of step k is ``max(schedule(k) * scale, min_lr)``, the rate of
    optimizer update k; ``scale`` starts at 1. Call `report` with the metric
    after each evaluation. A metric improves on the best so far when it is
    lower (``mode="min"``) or higher (``"max"``) by more than *threshold*
    (relative, ``best * threshold``, or absolute). After more than *patience*
    reports in a row without improvement, ``scale`` is multiplied by
    *factor*, unless that changes the rate by no more than *eps*; then the
    next *cooldown* reports count as neither good nor bad. Build it with
    `reduce_on_plateau`; its `state_dict` holds the settings, ``scale``,
    the best metric and the counters, so it resumes exactly.

    Matches ``torch.optim.lr_scheduler.ReduceLROnPlateau`` given a constant
    schedule and the same metrics (up to rounding: torch multiplies the rate
    itself by *factor*, lrsched the scale).

    Examples:
        >>> from lrsched import constant, reduce_on_plateau
        >>> it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1)
        >>> for loss in [3.0, 2.0, 2.0, 2.0]:
        ...     lr = next(it)
        ...     it.report(loss)
        >>> it.lr, it.scale
        (0.5, 0.5)
    """

    __slots__ = (*_CONFIG, *_COUNTERS)

    factor: float
    patience: int
    mode: str
    threshold: float
    threshold_mode: str
    cooldown: int
    min_lr: float
    eps: float
    scale: float
    best: float | None
    num_bad: int
    cooldown_counter: int

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
        from ._base import GroupSchedule

        if isinstance(schedule, GroupSchedule):
            raise TypeError(
                "reduce_on_plateau takes a schedule of one rate, not a group schedule; "
                "apply it to the base schedule and scale the groups yourself"
            )
        super().__init__(schedule, start=start, stop=stop)
        config = _config(
            {
                "factor": factor,
                "patience": patience,
                "mode": mode,
                "threshold": threshold,
                "threshold_mode": threshold_mode,
                "cooldown": cooldown,
                "min_lr": min_lr,
                "eps": eps,
            }
        )
        for name, value in config.items():
            setattr(self, name, value)
        self.scale = 1.0
        self.best = None  # no metric yet: any finite one improves
        self.num_bad = 0
        self.cooldown_counter = 0

    def __next__(self) -> float:
        value: float = Stepper.__next__(self) * self.scale
        return value if value > self.min_lr else self.min_lr

    @property
    def lr(self) -> float:
        """The value of the current `step` (what the next ``next()`` returns), without advancing."""
        value: float = self._fn(self.step) * self.scale
        return value if value > self.min_lr else self.min_lr

    def _improves(self, metric: float) -> bool:
        best, th = self.best, self.threshold
        if self.mode == "min":
            if best is None:
                return metric < math.inf
            return metric < (best * (1 - th) if self.threshold_mode == "rel" else best - th)
        if best is None:
            return metric > -math.inf
        return metric > (best * (1 + th) if self.threshold_mode == "rel" else best + th)

    def report(self, metric: float) -> None:
        """Record one evaluation's metric; the rate of the following steps may drop.

        Raises ``ValueError`` for a NaN metric and ``TypeError`` for a non-number.
        """
        if isinstance(metric, (str, bytes, bool)):
            raise TypeError(f"metric must be a number, got {show(metric)}")
        value = float(metric)
        if math.isnan(value):
            raise ValueError("metric must not be NaN (did the loss diverge?)")
        if self._improves(value):
            self.best = value
            self.num_bad = 0
        else:
            self.num_bad += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad = 0
        if self.num_bad > self.patience:
            base: float = self._fn(self.step)
            old = max(base * self.scale, self.min_lr)
            new = max(base * self.scale * self.factor, self.min_lr)
            if old - new > self.eps:
                self.scale *= self.factor
            self.cooldown_counter = self.cooldown
            self.num_bad = 0

    def state_dict(self) -> dict[str, Any]:
        """The stepper state plus the settings, ``scale``, ``best`` and the counters."""
        state = super().state_dict()
        for name in (*_CONFIG, *_COUNTERS):
            state[name] = getattr(self, name)
        return state

    def _extra_keys(self) -> tuple[str, ...]:
        return (*_CONFIG, *_COUNTERS)

    def _parse_extra(
        self, state: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
        config, counters = _parse_plateau(state)
        differences = [
            (name, config[name], getattr(self, name))
            for name in _CONFIG
            if config[name] != getattr(self, name)
        ]
        return counters, differences

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Any]) -> ReduceOnPlateau:
        """Rebuild a reduce-on-plateau stepper (schedule, settings, position) from its state."""
        position = _parse_position(state, (*_CONFIG, *_COUNTERS))
        config, counters = _parse_plateau(state)
        stepper = cls(_schedule_of(position), start=position.step, stop=position.stop, **config)
        for name, value in counters.items():
            setattr(stepper, name, value)
        return stepper


def _parse_plateau(state: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    missing = [k for k in (*_CONFIG, *_COUNTERS) if k not in state]
    if missing:
        raise ValueError(f"reduce-on-plateau state is missing key(s): {', '.join(missing)}")
    try:
        config = _config(state)
    except (TypeError, ValueError) as error:
        raise ValueError(f"reduce-on-plateau state: {error}") from None
    scale, best = state["scale"], state["best"]
    if type(scale) is not float or not 0 <= scale <= 1:  # 0: reduced below float range
        raise ValueError(f"reduce-on-plateau 'scale' must be a float in [0, 1], got {show(scale)}")
    if best is not None and (type(best) is not float or math.isnan(best)):
        raise ValueError(f"reduce-on-plateau 'best' must be a float or None, got {show(best)}")
    counters = {"scale": scale, "best": best}
    for name in ("num_bad", "cooldown_counter"):
        value = state[name]
        if type(value) is not int or not 0 <= value <= MAX_COUNT:
            raise ValueError(
                f"reduce-on-plateau {name!r} must be an int >= 0 and <= 2**63 - 1, "
                f"got {show(value)}"
            )
        counters[name] = value
    return config, counters


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
    """A stepper over *schedule* that lowers the rate when a metric plateaus; see `ReduceOnPlateau`.

    It yields ``max(schedule(step) * scale, min_lr)``; call ``.report(metric)``
    after each evaluation. Its `state_dict` resumes it exactly.

    Args:
        schedule: The schedule to scale (e.g. ``constant(lr=0.1)``).
        factor: Multiplier of the scale at each reduction, in (0, 1).
        patience: Reports without improvement tolerated; the next one reduces.
        mode: ``"min"`` (lower metric is better) or ``"max"``.
        threshold: Least change that counts as an improvement.
        threshold_mode: ``"rel"`` (``best * threshold``) or ``"abs"``.
        cooldown: Reports ignored after a reduction.
        min_lr: Floor of the yielded rate.
        eps: A reduction changing the rate by no more than this is skipped.

    Examples:
        >>> from lrsched import constant, reduce_on_plateau
        >>> it = reduce_on_plateau(constant(lr=0.1), factor=0.1, patience=0)
        >>> lr = next(it); it.report(1.0)   # best so far
        >>> lr = next(it); it.report(1.0)   # no improvement: more than 0 bad reports
        >>> print(f"{next(it):.3f}")
        0.010
    """
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
