"""lrsched: learning-rate schedules as pure functions of the step.

A schedule maps an optimizer step to a learning rate, ``schedule(step) ->
float``. Schedules are immutable values that compose with operators, iterate
in a training loop, checkpoint as plain data, and drive PyTorch, JAX/optax
and Keras optimizers.

Examples:
    >>> from lrsched import cosine, with_warmup, sample
    >>> s = with_warmup(cosine(base_lr=1e-3, min_lr=1e-5, total_steps=900), warmup_steps=100)
    >>> s.total_steps
    1000
    >>> [f"{lr:.2e}" for lr in sample(s, num_steps=1000)[::250]]
    ['0.00e+00', '9.34e-04', '5.91e-04', '1.87e-04']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._base import BaseSchedule, GroupSchedule, Schedule, SupportsArrayNamespace
from ._names import HOMES, LEAF_ALIASES

__version__ = "0.6.0.dev0"

if TYPE_CHECKING:  # at run time, the names below are imported on first use
    from . import shapes
    from ._arith import Clip, Cooldown, Cycles, Product, Skip
    from ._compat import (
        cosine_restarts,
        exponential_decay,
        linear,
        one_cycle,
        polynomial,
        polynomial_decay,
        step_decay,
        warmup_stable_decay,
    )
    from ._compose import (
        Bounded,
        PerEpoch,
        ScaleByGroup,
        Scaled,
        Sequential,
        Warmup,
        WithWarmup,
        sample,
        scale_by_group,
        sequential,
        warmup,
        with_warmup,
    )
    from ._cycles import ExpRange, OneCycle, Triangular, Triangular2
    from ._decays import (
        Cosine,
        CosineRestarts,
        CyclicPolynomial,
        InverseTime,
        Linear,
        Polynomial,
        Ramp,
    )
    from ._groups import Groups, groups, layerwise
    from ._momentum import CycleMomentum
    from ._noise import Noise
    from ._piecewise import PiecewiseConstant, PiecewiseLinear
    from ._plans import Plan, PlanChangeWarning, Resume, Share, optimizer_updates, rest, share
    from ._presets import noam, rex, wsd_s
    from ._state import ScheduleMismatchError, from_state_dict, register, registered_types
    from ._stepper import ReduceOnPlateau, Stepper, reduce_on_plateau
    from ._steps import Constant, Exponential, MultiStep, StepDecay
    from ._warmups import InverseSqrt, Wsd

    # The lowercase constructors are the API the docs show; they build the classes.
    constant = Constant
    multi_step = MultiStep
    exponential = Exponential
    ramp = Ramp
    cyclic_polynomial = CyclicPolynomial
    cosine = Cosine
    inverse_sqrt = InverseSqrt
    inverse_time = InverseTime
    triangular = Triangular
    triangular2 = Triangular2
    exp_range = ExpRange
    wsd = Wsd
    piecewise_constant = PiecewiseConstant
    piecewise_linear = PiecewiseLinear


if not TYPE_CHECKING:  # type checkers see the imports above; an unknown name stays an error

    def __getattr__(name: str) -> Any:
        # ``import lrsched`` imports only `BaseSchedule` and the protocols; a
        # module is imported the first time one of its names is used (PEP 562),
        # so a program pays at start-up only for the curves it builds: most of
        # lrsched's import time is attrs building classes.
        target = LEAF_ALIASES.get(name, name)
        module = HOMES.get(target)
        if module is None:
            raise AttributeError(f"module 'lrsched' has no attribute {name!r}")
        loaded = importlib.import_module(f".{module}", __name__)
        value = loaded if target == module else getattr(loaded, target)  # a public submodule
        globals()[name] = value  # later uses are plain global lookups
        return value


def __dir__() -> list[str]:
    # The public names (loaded or not) and the module's dunders, not its helpers.
    return sorted({*__all__, *(n for n in globals() if n.startswith("__"))})


__all__ = [
    "BaseSchedule",
    "Bounded",
    "Clip",
    "Constant",
    "Cooldown",
    "Cosine",
    "CosineRestarts",
    "CycleMomentum",
    "Cycles",
    "CyclicPolynomial",
    "ExpRange",
    "Exponential",
    "GroupSchedule",
    "Groups",
    "InverseSqrt",
    "InverseTime",
    "Linear",
    "MultiStep",
    "Noise",
    "OneCycle",
    "PerEpoch",
    "PiecewiseConstant",
    "PiecewiseLinear",
    "Plan",
    "PlanChangeWarning",
    "Polynomial",
    "Product",
    "Ramp",
    "ReduceOnPlateau",
    "Resume",
    "ScaleByGroup",
    "Scaled",
    "Schedule",
    "ScheduleMismatchError",
    "Sequential",
    "Share",
    "Skip",
    "StepDecay",
    "Stepper",
    "SupportsArrayNamespace",
    "Triangular",
    "Triangular2",
    "Warmup",
    "WithWarmup",
    "Wsd",
    "__version__",
    "constant",
    "cosine",
    "cosine_restarts",
    "cyclic_polynomial",
    "exp_range",
    "exponential",
    "exponential_decay",
    "from_state_dict",
    "groups",
    "inverse_sqrt",
    "inverse_time",
    "layerwise",
    "linear",
    "multi_step",
    "noam",
    "one_cycle",
    "optimizer_updates",
    "piecewise_constant",
    "piecewise_linear",
    "polynomial",
    "polynomial_decay",
    "ramp",
    "reduce_on_plateau",
    "register",
    "registered_types",
    "rest",
    "rex",
    "sample",
    "scale_by_group",
    "sequential",
    "shapes",
    "share",
    "step_decay",
    "triangular",
    "triangular2",
    "warmup",
    "warmup_stable_decay",
    "with_warmup",
    "wsd",
    "wsd_s",
]
