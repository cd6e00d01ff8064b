"""Drive a PyTorch optimizer with an lrsched schedule.

`LRScheduler` is a ``torch.optim.lr_scheduler.LRScheduler``, so PyTorch
Lightning, the Hugging Face ``Trainer`` and anything else that takes a torch
scheduler take it. Call ``scheduler.step()`` after each ``optimizer.step()``:
after construction every param group's lr is ``schedule(0)``, after *k*
optimizer updates it is ``schedule(k)`` (a call after an update that a
``GradScaler`` skipped does not advance).

Examples:
    >>> import torch
    >>> from lrsched import cosine
    >>> from lrsched.torch import LRScheduler
    >>> model = torch.nn.Linear(2, 1)
    >>> optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    >>> scheduler = LRScheduler(optimizer, 2 >> cosine(base_lr=0.1, min_lr=0.0, total_steps=8))
    >>> lrs = []
    >>> for _ in range(4):
    ...     lrs.append(optimizer.param_groups[0]["lr"])
    ...     optimizer.step()
    ...     scheduler.step()
    >>> [f"{lr:.4f}" for lr in lrs]
    ['0.0000', '0.0500', '0.1000', '0.0962']
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import torch
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler as _TorchLRScheduler

from ._base import GroupSchedule
from ._state import ScheduleMismatchError
from ._stepper import ReduceOnPlateau, Stepper
from ._validate import show

if TYPE_CHECKING:
    from ._plans import Resume

__all__ = ["LRScheduler"]

#: Names the state format of `LRScheduler.state_dict`.
STATE_FORMAT = "lrsched.torch.LRScheduler"


class LRScheduler(_TorchLRScheduler):
    """A torch scheduler that sets ``param_group[key]`` to ``schedule(step)``.

    On construction every param group's value becomes ``schedule(0)``; after
    *k* calls of `step`, each following an optimizer update, it is
    ``schedule(k)``. A group schedule
    (``schedule * {"backbone": 0.1, "head": 1.0}``) sets each param group by
    its ``"name"`` key. With *relative*, each group's value is its initial
    value times the schedule's (per-group ratios are kept). Tensor values
    (``lr=torch.tensor(...)``) are updated in place, never replaced.

    The `state_dict` is plain data (``torch.load(weights_only=True)`` loads
    it) holding the position and the schedule; `load_state_dict` refuses a
    different schedule with `lrsched.ScheduleMismatchError` unless
    ``strict=False``, and resumes exactly, whether the optimizer's state is
    loaded before or after.

    With a `lrsched.reduce_on_plateau` stepper as *schedule*, ``step(metric)``
    reports an evaluation's metric, as with torch's ``ReduceLROnPlateau``:
    the rate may drop at once, and the update count does not move (only
    ``step()`` advances it), so call ``step()`` after each update and
    ``step(metric)`` after each evaluation. Calling only ``step(metric)``
    once per epoch over a constant schedule reproduces ``ReduceLROnPlateau``.

    Param groups added later (``optimizer.add_param_group``) join at the
    next `step`: each gets the schedule's value (its group's, by ``"name"``,
    for a group schedule, which must name it); with *relative*, its value at
    that moment becomes its base value.

    Args:
        optimizer: The torch optimizer to drive.
        schedule: A schedule, a plain ``step -> float`` function, a group
            schedule (`lrsched.ScaleByGroup`, `lrsched.groups`, `lrsched.layerwise`),
            or a fresh `lrsched.reduce_on_plateau` stepper (which the
            scheduler then owns: its `plateau`).
        key: The param-group hyperparameter to drive: ``"lr"`` (default),
            ``"weight_decay"``, ``"momentum"``, ``"betas"`` ...
        index: For a tuple-valued *key* such as ``"betas"``, the element to
            drive (``0`` for Adam's beta1, as one-cycle's momentum does).
        relative: Multiply each group's initial value by the schedule's
            value instead of setting it.
        hyperparameters: More param-group keys to set at every step, each
            to the value of its own schedule (or group schedule):
            ``{"momentum": lr.momentum(), "weight_decay": ...}``. As with
            torch's ``cycle_momentum``, ``"momentum"`` sets ``betas[0]`` on
            an optimizer with betas (Adam, AdamW). They are saved in the same
            `state_dict` and resume with it.
        sync_metric: With a plateau stepper under an initialized
            ``torch.distributed`` process group, ``step(metric)`` replaces
            the metric by its mean over all ranks (an ``all_reduce``; every
            rank must call it), so that every rank makes the same decision.

    Raises:
        ValueError: A param group lacks *key* (or its *index*), or the group
            schedule's names and the param groups' ``"name"`` keys differ
            (also for a group added later, at the next `step`).

    Examples:
        >>> import torch
        >>> from lrsched import constant, linear
        >>> from lrsched.torch import LRScheduler
        >>> backbone, head = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
        >>> optimizer = torch.optim.SGD(
        ...     [
        ...         {"params": backbone.parameters(), "name": "backbone"},
        ...         {"params": head.parameters(), "name": "head"},
        ...     ],
        ...     lr=1.0,
        ...     momentum=0.9,
        ... )
        >>> lr = LRScheduler(optimizer, constant(lr=0.1) * {"backbone": 0.1, "head": 1.0})
        >>> [round(g["lr"], 6) for g in optimizer.param_groups]
        [0.01, 0.1]
        >>> momentum = LRScheduler(
        ...     optimizer, linear(start_lr=0.85, end_lr=0.95, total_steps=10), key="momentum"
        ... )
        >>> optimizer.step(); lr.step(); momentum.step()
        >>> [round(g["momentum"], 6) for g in optimizer.param_groups]
        [0.86, 0.86]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedule: Callable[[int], Any] | ReduceOnPlateau,
        *,
        key: str = "lr",
        index: int | None = None,
        relative: bool = False,
        hyperparameters: Mapping[str, Callable[[int], Any]] | None = None,
        sync_metric: bool = False,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"'optimizer' must be a torch.optim.Optimizer, got {show(optimizer)}")
        plateau: ReduceOnPlateau | None = (
            schedule if isinstance(schedule, ReduceOnPlateau) else None
        )
        if plateau is None and not callable(schedule):
            raise TypeError(f"'schedule' must be a schedule, got {show(schedule)}")
        if plateau is not None and plateau.step != 0:
            raise ValueError(
                f"'schedule' must be a fresh reduce_on_plateau stepper (step 0), got one at "
                f"step {plateau.step}; resume with LRScheduler.load_state_dict()"
            )
        if type(sync_metric) is not bool:
            raise TypeError(f"'sync_metric' must be a bool, got {show(sync_metric)}")
        if not isinstance(key, str):
            raise TypeError(f"'key' must be a str, got {show(key)}")
        if index is not None and (type(index) is not int or index < 0):
            raise TypeError(f"'index' must be an int >= 0 or None, got {show(index)}")
        if type(relative) is not bool:
            raise TypeError(f"'relative' must be a bool, got {show(relative)}")
        for i, group in enumerate(optimizer.param_groups):
            _get(group, i, key, index)  # raises for a missing key or index
        self.schedule = schedule
        self.key = key
        self.index = index
        self.relative = relative
        self.sync_metric = sync_metric
        self._plateau = plateau
        if isinstance(schedule, ReduceOnPlateau):
            self._stepper: Stepper = schedule
            self._names = _group_names(schedule.schedule, optimizer)
        else:
            self._stepper = Stepper(schedule)
            self._names = _group_names(schedule, optimizer)
        if relative:
            initial = f"initial_{key}"
            for i, group in enumerate(optimizer.param_groups):
                # Like torch's "initial_lr": kept by a second scheduler and in checkpoints.
                group.setdefault(initial, _copy(group[key]))
                _get(group, i, initial, index)
        self.base_values: list[float] = [
            _as_float(_get(g, i, f"initial_{key}", index)) if relative else 1.0
            for i, g in enumerate(optimizer.param_groups)
        ]
        self._hyper = _hyperparameters(optimizer, hyperparameters, key)
        # Step t is optimizer update number t: a post-step hook marks each real
        # update, so a step() after none (GradScaler skipped it) does not advance.
        self._updated = False
        optimizer.register_step_post_hook(_mark_updated(weakref.ref(self)))
        # torch's __init__ records initial_lr, wraps optimizer.step to check the
        # call order, and calls step() once: last_epoch becomes 0, values schedule(0).
        super().__init__(optimizer)

    # -- stepping -------------------------------------------------------------------

    def step(  # type: ignore[override, unused-ignore]  # torch's first parameter is epoch
        self, metrics: float | torch.Tensor | None = None, epoch: None = None
    ) -> None:
        """Advance one update: every param group's value becomes ``schedule(k)``.

        Call it after ``optimizer.step()``. It advances only if the optimizer
        made an update since the previous call: when a
        ``torch.amp.GradScaler`` skips ``optimizer.step()`` (inf/NaN
        gradients), or no update ran yet, it does nothing (and warns
        nothing), so *k* always counts updates. With a
        `lrsched.reduce_on_plateau` stepper, ``step(metric)`` instead reports
        one evaluation's metric (a number or a one-element tensor): the rate
        may drop at once, and the update count stays. Passing *epoch*
        (deprecated in torch) is not supported: resume with `load_state_dict`.
        """
        if epoch is not None or (metrics is not None and self._plateau is None):
            raise TypeError(
                "LRScheduler.step() takes no epoch, and a metric only with a "
                "reduce_on_plateau schedule; call it once per optimizer update "
                "and resume with load_state_dict()"
            )
        if metrics is not None:
            self._report(metrics)
            return
        if self._step_count == 0:
            # The call from torch's __init__: last_epoch becomes 0, get_lr(), _last_lr.
            super().step()
            if self.key != "lr":
                self._apply()
            else:
                self._apply_hyperparameters()
            return
        if not self._updated:
            return  # no optimizer update since the last step: the schedule stays
        self._updated = False
        # torch's generic path costs more than the schedule itself, so do its
        # work directly: count, advance, set the values, _last_lr.
        self._step_count += 1
        self.last_epoch += 1
        self._stepper.step = self.last_epoch
        self._apply()

    def get_lr(self) -> list[float | torch.Tensor]:
        """The lrs of step ``last_epoch`` (torch calls this from `step`)."""
        self._stepper.step = self.last_epoch
        if self.key != "lr":
            return [_copy(g["lr"]) for g in self.optimizer.param_groups]
        return list(self._values())

    def _values(self) -> list[float]:
        if len(self.optimizer.param_groups) != len(self.base_values):
            self._add_groups()
        return self._values_at(self._stepper.step, self.base_values)

    def _values_at(
        self, step: int, base_values: list[float], scale: float | None = None
    ) -> list[float]:
        value = self._stepper._fn(step)
        plateau = self._plateau
        if plateau is not None:
            value = value * (plateau.scale if scale is None else scale)
            value = value if value > plateau.min_lr else plateau.min_lr
        if self._names is not None:
            values = [float(value[name]) for name in self._names]
        else:
            values = [float(value)] * len(self.optimizer.param_groups)
        if self.relative:
            values = [b * v for b, v in zip(base_values, values, strict=True)]
        return values

    def _apply(self, values: list[float] | None = None) -> None:
        groups = self.optimizer.param_groups
        if (
            values is None
            and self._plateau is None
            and self.key == "lr"
            and self.index is None
            and self._names is None
            and not self.relative
            and len(groups) == len(self.base_values)
        ):
            # The common case, kept short: one value for every group's float lr.
            stepper = self._stepper
            value = float(stepper._fn(stepper.step))  # stepper.lr, without the property
            if _put_one(groups, "lr", value):  # (tensors are filled in place there too)
                if self._hyper:
                    self._apply_hyperparameters()
                self._last_lr = [value] * len(groups)
                return
        else:
            _put(groups, self.key, self.index, self._values() if values is None else values)
        if self._hyper:
            self._apply_hyperparameters()
        self._last_lr = [_copy(g["lr"]) for g in groups]

    def _apply_hyperparameters(self) -> None:
        for driven in self._hyper.values():
            driven.apply(self.optimizer.param_groups, self.last_epoch)

    # -- reduce on plateau ------------------------------------------------------------

    @property
    def plateau(self) -> ReduceOnPlateau | None:
        """The `lrsched.ReduceOnPlateau` stepper it drives (its scale, best, counters), or None."""
        return self._plateau

    def report(self, metric: float | torch.Tensor) -> None:
        """Report one evaluation's metric: ``step(metric)`` by another name."""
        if self._plateau is None:
            raise TypeError("LRScheduler.report() needs a reduce_on_plateau schedule")
        self._report(metric)

    def _report(self, metric: float | torch.Tensor) -> None:
        assert self._plateau is not None
        if isinstance(metric, torch.Tensor):
            if metric.numel() != 1:
                raise ValueError(
                    f"'metrics' must be a number or a one-element tensor, "
                    f"got a tensor of shape {tuple(metric.shape)}"
                )
            metric = float(metric.detach().reshape(()).item())
        if self.sync_metric:
            metric = _mean_over_ranks(metric)
        self._stepper.step = self.last_epoch
        self._plateau.report(metric)  # ValueError for NaN, TypeError for a non-number
        self._apply()

    # -- param groups added later ----------------------------------------------------

    def _add_groups(self) -> None:
        """Take in the param groups added since construction (``add_param_group``)."""
        groups, key, index = self.optimizer.param_groups, self.key, self.index
        old = len(self.base_values)
        if len(groups) < old:
            raise ValueError(
                f"the optimizer has {len(groups)} param groups, fewer than the {old} "
                "this scheduler was built for; build a new LRScheduler"
            )
        new = groups[old:]
        for i, group in enumerate(new, old):
            _get(group, i, key, index)
        names = _new_names(self._names, new, old, self.schedule)
        driven = {
            n: _new_names(d.names, new, old, d.stepper.schedule) for n, d in self._hyper.items()
        }
        for d in self._hyper.values():
            for i, group in enumerate(new, old):
                _get(group, i, d.key, d.index)
        # All checked: now change things.
        bases = []
        for i, group in enumerate(new, old):
            group.setdefault("initial_lr", _copy(group["lr"]))  # as torch's __init__ does
            if self.relative:
                group.setdefault(f"initial_{key}", _copy(group[key]))
                bases.append(_as_float(_get(group, i, f"initial_{key}", index)))
            else:
                bases.append(1.0)
        if self._names is not None and names is not None:
            self._names = self._names + names
        for n, d in self._hyper.items():
            extra = driven[n]
            if d.names is not None and extra is not None:
                d.names = d.names + extra
        self.base_values = self.base_values + bases
        # torch's own attribute (typed by torch when it is installed, Any when not)
        state = self.__dict__
        state["base_lrs"] = [*state["base_lrs"], *(g["initial_lr"] for g in new)]

    @property
    def hyperparameters(self) -> dict[str, Callable[[int], Any]]:
        """The schedules of the other hyperparameters it drives: name -> schedule."""
        return {name: driven.stepper.schedule for name, driven in self._hyper.items()}

    def __repr__(self) -> str:
        extra = "" if self.key == "lr" else f", key={self.key!r}"
        extra += ", relative=True" if self.relative else ""
        if self._hyper:
            extra += f", hyperparameters={sorted(self._hyper)!r}"
        schedule = show(self._stepper.schedule, 200)
        return f"LRScheduler({schedule}, step={self.last_epoch}{extra})"

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A copy or an unpickled scheduler: its optimizer is a copy too, without hooks.
        self.__dict__.update(state)
        self.optimizer.register_step_post_hook(_mark_updated(weakref.ref(self)))

    # -- checkpoints ----------------------------------------------------------------

    @property
    def resumed(self) -> Resume | None:
        """What the last `load_state_dict` found at the resume step (`lrsched.Resume`), or None."""
        return self._stepper.resumed

    def state_dict(self) -> dict[str, Any]:
        """Plain data: the stepper's state (position and schedule) and this adapter's settings."""
        state = {
            "format": STATE_FORMAT,
            "stepper": self._stepper.state_dict(),
            "key": self.key,
            "index": self.index,
            "relative": self.relative,
            "base_values": list(self.base_values),
        }
        if self._hyper:  # only then: states without other hyperparameters are unchanged
            state["hyperparameters"] = {
                name: driven.stepper.state_dict() for name, driven in self._hyper.items()
            }
        return state

    def load_state_dict(
        self,
        state_dict: dict[str, Any],
        *,
        strict: bool = True,
        warn_above: float | None = 1e-9,
    ) -> None:
        """Restore the position saved by `state_dict` and set the optimizer's values.

        With *strict*, a saved schedule that differs from this one raises
        `lrsched.ScheduleMismatchError` naming the differences;
        ``strict=False`` keeps this schedule and restores only the position.
        Then `resumed` reports the learning-rate jump at the resume step, and
        a relative jump above *warn_above* warns with
        `lrsched.PlanChangeWarning` (see `lrsched.Stepper.load_state_dict`).
        A failed load changes nothing.
        """
        state = state_dict
        if not isinstance(state, dict) or not _is(state.get("format"), STATE_FORMAT):
            raise ValueError(
                f"not a state of lrsched.torch.LRScheduler (expected 'format': {STATE_FORMAT!r})"
            )
        expected = {"format", "stepper", "key", "index", "relative", "base_values"}
        if self._hyper:
            expected.add("hyperparameters")
        if set(state) != expected:
            extra = ", ".join(sorted(show(k, 40) for k in set(state) - expected)[:5])
            missing = sorted(expected - set(state))
            raise ValueError(
                f"scheduler state has extra key(s) [{extra}] and missing key(s) {missing}"
            )
        for name in ("key", "index", "relative"):
            saved, current = state[name], getattr(self, name)
            # Compared by type first: a tensor or a float here is not the saved setting
            # (and `tensor != False` has no truth value).
            if not _is(saved, current):
                raise ValueError(
                    f"scheduler state was saved with {name}={show(saved)}, "
                    f"this scheduler has {name}={show(current)}"
                )
        base = state["base_values"]
        if (
            type(base) is not list
            or len(base) != len(self.optimizer.param_groups)
            or not all(type(b) is float and math.isfinite(b) and b >= 0 for b in base)
        ):
            raise ValueError(
                f"scheduler state 'base_values' must be {len(self.optimizer.param_groups)} "
                f"finite floats >= 0 (one per param group), got {show(base)}"
            )
        hyper = _parse_hyperparameters(self._hyper, state.get("hyperparameters"), strict=strict)
        # Validate everything and compute the new values before changing anything.
        from ._plans import check_warn_above, warn_jump

        threshold = check_warn_above(warn_above)
        updates = self._stepper._parse(state["stepper"], strict=strict)
        step = updates["step"]
        try:
            values = self._values_at(step, base, updates.get("scale"))
        except (ArithmeticError, TypeError, ValueError) as error:
            raise ValueError(
                f"scheduler state 'stepper.step' {show(step)}: the schedule cannot be "
                f"evaluated there ({type(error).__name__}: {error})"
            ) from None
        if not all(math.isfinite(v) for v in values):
            raise ValueError(
                f"scheduler state 'stepper.step' {show(step)}: the schedule's value there "
                f"is not finite ({show(values)})"
            )
        warn_jump(updates["resumed"], threshold)  # before any change: an error changes nothing
        for name, value in updates.items():
            setattr(self._stepper, name, value)
        for name, hyper_step in hyper.items():
            self._hyper[name].stepper.step = hyper_step
        self.base_values = list(base)
        self.last_epoch = step
        self._apply(values)


def _is(saved: object, current: object) -> bool:
    """*saved* is the setting *current*: the same type and equal (a tensor never is)."""
    return type(saved) is type(current) and bool(saved == current)


def _mark_updated(ref: weakref.ReferenceType[LRScheduler]) -> Callable[..., None]:
    """An optimizer post-step hook telling the scheduler behind *ref* that an update ran."""

    def hook(optimizer: Optimizer, args: Any, kwargs: Any) -> None:
        scheduler = ref()
        if scheduler is not None:
            scheduler._updated = True

    return hook


# -- param groups -------------------------------------------------------------------------


def _group_names(schedule: Callable[[int], Any], optimizer: Optimizer) -> list[str] | None:
    """The schedule's group name of each param group, or None for a plain schedule."""
    obj: object = schedule  # (mypy cannot narrow a Callable to a group schedule)
    if isinstance(obj, GroupSchedule):
        wanted: tuple[str, ...] | None = obj.groups
    else:
        wanted = None
        if not _is_node(schedule):  # a plain function might return a mapping
            first = schedule(0)
            if isinstance(first, Mapping):
                raise TypeError(
                    "a group schedule must be an lrsched.ScaleByGroup "
                    '(schedule * {"backbone": 0.1, "head": 1.0}) or lrsched.groups({...}), '
                    "got a function returning a dict"
                )
    if wanted is None:
        return None
    names = [g.get("name") for g in optimizer.param_groups]
    missing = [i for i, n in enumerate(names) if n is None]
    unknown = [n for n in names if n is not None and n not in wanted]
    unused = [n for n in wanted if n not in names]
    if missing or unknown or unused:
        problems = []
        if missing:
            problems.append(f"param group(s) {missing} have no 'name'")
        if unknown:
            problems.append(f"param group name(s) {unknown} are not in the schedule")
        if unused:
            problems.append(f"schedule group(s) {unused} match no param group")
        raise ValueError(
            f"{'; '.join(problems)} (schedule groups: {list(wanted)}, param group names: {names})"
        )
    return [str(n) for n in names]


def _new_names(
    names: list[str] | None, new: list[dict[str, Any]], first: int, schedule: object
) -> list[str] | None:
    """The schedule's group name of each param group added later, or None for a plain schedule."""
    if names is None:
        return None
    if isinstance(schedule, ReduceOnPlateau):
        schedule = schedule.schedule
    wanted = schedule.groups if isinstance(schedule, GroupSchedule) else tuple(names)
    added = [g.get("name") for g in new]
    bad = [(i, n) for i, n in enumerate(added, first) if n is None or n not in wanted]
    if bad:
        raise ValueError(
            f"param group(s) added after the scheduler was built have no name of the "
            f"schedule: {', '.join(f'group {i} name={n!r}' for i, n in bad)} "
            f"(schedule groups: {list(wanted)}, param group names: "
            f"{[*names, *added]})"
        )
    return [str(n) for n in added]


def _mean_over_ranks(metric: float) -> float:
    """*metric* averaged over the ranks of the default process group (itself if none)."""
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return metric
    if isinstance(metric, (str, bytes, bool)):
        raise TypeError(f"metric must be a number, got {show(metric)}")
    device = (
        torch.device("cuda", torch.cuda.current_device())
        if dist.get_backend() == "nccl"
        else torch.device("cpu")
    )
    total = torch.tensor(float(metric), dtype=torch.float64, device=device)
    dist.all_reduce(total)
    size: int = dist.get_world_size()
    mean: float = float(total.item()) / size
    return mean


def _is_node(schedule: object) -> bool:
    from ._base import _Node

    return isinstance(schedule, _Node)


def _get(group: dict[str, Any], i: int, key: str, index: int | None) -> Any:
    if key not in group:
        present = sorted(k for k in group if k != "params")
        raise ValueError(f"param group {i} has no {key!r} (its keys: {', '.join(present)})")
    value = group[key]
    if index is None:
        if isinstance(value, (tuple, list)):
            raise ValueError(
                f"param group {i}'s {key!r} is a sequence {show(value)}; "
                "pass index= to drive one element"
            )
        return value
    if not isinstance(value, (tuple, list)) or not index < len(value):
        raise ValueError(f"param group {i}'s {key!r} has no element {index}, got {show(value)}")
    return value[index]


def _put(groups: list[dict[str, Any]], key: str, index: int | None, values: list[float]) -> None:
    """`_set` each group's value; a plain float (the common case) is replaced right here."""
    for group, value in zip(groups, values, strict=True):
        if index is None and group[key].__class__ is float:
            group[key] = value
        else:
            _set(group, key, index, value)


def _put_one(groups: list[dict[str, Any]], key: str, value: float) -> bool:
    """Set every group's *key* to *value*; True if each was a plain float (replaced here)."""
    plain = True
    for group in groups:
        if group[key].__class__ is float:
            group[key] = value
        else:
            _set(group, key, None, value)
            plain = False
    return plain


def _set(group: dict[str, Any], key: str, index: int | None, value: float) -> None:
    current = group[key]
    if index is None:
        if isinstance(current, torch.Tensor):
            current.fill_(value)  # capturable/compiled optimizers keep the same tensor
        else:
            group[key] = value
        return
    element = current[index]
    if isinstance(element, torch.Tensor):
        element.fill_(value)
    else:
        items = list(current)
        items[index] = value
        group[key] = type(current)(items)


def _copy(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return type(value)(_copy(v) for v in value)
    return value.clone() if isinstance(value, torch.Tensor) else value


def _as_float(value: Any) -> float:
    return float(value.item()) if isinstance(value, torch.Tensor) else float(value)


# -- other hyperparameters ------------------------------------------------------------


class _Driven:
    """One more param-group hyperparameter an `LRScheduler` sets at every step."""

    __slots__ = ("index", "key", "names", "stepper")

    key: str
    index: int | None

    def __init__(self, name: str, schedule: object, optimizer: Optimizer) -> None:
        if not callable(schedule) or isinstance(schedule, type):
            raise TypeError(f"hyperparameters[{name!r}] must be a schedule, got {schedule!r}")
        # Like torch's cycle_momentum: "momentum" is beta1 on an optimizer with betas.
        self.key, self.index = (
            ("betas", 0) if name == "momentum" and "betas" in optimizer.defaults else (name, None)
        )
        for i, group in enumerate(optimizer.param_groups):
            _get(group, i, self.key, self.index)  # raises for a missing key
        self.names = _group_names(schedule, optimizer)
        self.stepper = Stepper(schedule)

    def apply(self, groups: list[dict[str, Any]], step: int) -> None:
        stepper = self.stepper
        stepper.step = step
        value = stepper._fn(step)  # stepper.lr, without the property's call
        if self.names is None:
            if self.index is None:
                _put_one(groups, self.key, float(value))
                return
            values = [float(value)] * len(groups)
        else:
            values = [float(value[name]) for name in self.names]
        _put(groups, self.key, self.index, values)


def _hyperparameters(
    optimizer: Optimizer, schedules: Mapping[str, Callable[[int], Any]] | None, key: str
) -> dict[str, _Driven]:
    if schedules is None:
        return {}
    if not isinstance(schedules, Mapping):
        raise TypeError(
            f"'hyperparameters' must be a mapping of param-group key to schedule, got {schedules!r}"
        )
    driven: dict[str, _Driven] = {}
    for name, schedule in schedules.items():
        if not isinstance(name, str):
            raise TypeError(f"'hyperparameters' keys must be str, got {name!r}")
        one = _Driven(name, schedule, optimizer)
        taken = [n for n, d in driven.items() if (d.key, d.index) == (one.key, one.index)]
        if (one.key, one.index) == (key, None) or taken:
            raise ValueError(
                f"hyperparameters[{name!r}] drives {one.key!r}, which "
                f"{'key=' + repr(key) if not taken else repr(taken[0])} already drives"
            )
        driven[name] = one
    return driven


def _parse_hyperparameters(
    driven: Mapping[str, _Driven], state: object, *, strict: bool
) -> dict[str, int]:
    """Validate the saved other hyperparameters completely; their steps, by name."""
    if not driven:
        return {}
    if not isinstance(state, dict) or set(state) != set(driven):
        saved = sorted(state) if isinstance(state, dict) else state
        raise ValueError(
            f"scheduler state 'hyperparameters' must name {sorted(driven)}, got {saved!r}"
        )
    steps = {}
    for name, one in driven.items():
        try:
            updates = one.stepper._parse(state[name], strict=strict)
        except ScheduleMismatchError as error:
            raise ScheduleMismatchError(
                [(f"hyperparameters[{name!r}].{p}", a, b) for p, a, b in error.differences]
            ) from None
        steps[name] = updates["step"]
    return steps
