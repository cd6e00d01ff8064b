"""Where lrsched's names live: read by the package namespace and the registry.

No imports, so that ``import lrsched`` stays cheap: a module named here is
imported only when one of its names is first used.
"""

from __future__ import annotations

__all__ = ["BUILTINS", "HOMES", "LEAF_ALIASES", "NOT_LEAVES", "SPELLED"]

#: The built-in schedule types: type name -> (module in this package, class). Their
#: modules load on first use (see `lrsched.__getattr__`); a built-in is
#: registered the first time the registry needs it, importing its module if
#: a state names it first. In this order `registered_types` lists them.
BUILTINS: dict[str, tuple[str, str]] = {
    "constant": ("_steps", "Constant"),
    "step_decay": ("_steps", "StepDecay"),
    "multi_step": ("_steps", "MultiStep"),
    "exponential": ("_steps", "Exponential"),
    "linear": ("_decays", "Linear"),
    "ramp": ("_decays", "Ramp"),
    "polynomial": ("_decays", "Polynomial"),
    "cosine": ("_decays", "Cosine"),
    "cosine_restarts": ("_decays", "CosineRestarts"),
    "cyclic_polynomial": ("_decays", "CyclicPolynomial"),
    "inverse_sqrt": ("_warmups", "InverseSqrt"),
    "inverse_time": ("_decays", "InverseTime"),
    "one_cycle": ("_cycles", "OneCycle"),
    "triangular": ("_cycles", "Triangular"),
    "triangular2": ("_cycles", "Triangular2"),
    "exp_range": ("_cycles", "ExpRange"),
    "wsd": ("_warmups", "Wsd"),
    "piecewise_constant": ("_piecewise", "PiecewiseConstant"),
    "piecewise_linear": ("_piecewise", "PiecewiseLinear"),
    "with_warmup": ("_compose", "WithWarmup"),
    "sequential": ("_compose", "Sequential"),
    "for_steps": ("_compose", "Bounded"),
    "scaled": ("_compose", "Scaled"),
    "per_epoch": ("_compose", "PerEpoch"),
    "scale_by_group": ("_compose", "ScaleByGroup"),
    "groups": ("_groups", "Groups"),
    "cycle_momentum": ("_momentum", "CycleMomentum"),
    "product": ("_arith", "Product"),
    "clip": ("_arith", "Clip"),
    "cooldown": ("_arith", "Cooldown"),
    "skip": ("_arith", "Skip"),
    "cycles": ("_arith", "Cycles"),
    "noise": ("_noise", "Noise"),
    "shape.linear": ("shapes", "Linear"),
    "shape.cosine": ("shapes", "Cosine"),
    "shape.sqrt": ("shapes", "Sqrt"),
    "shape.polynomial": ("shapes", "Polynomial"),
    "shape.exponential": ("shapes", "Exponential"),
    "shape.tanh": ("shapes", "Tanh"),
    "shape.rex": ("shapes", "Rex"),
}

#: Modules of built-in types that are not leaf schedules (composites, shapes).
NOT_LEAVES = frozenset({"_compose", "_groups", "_momentum", "_arith", "_noise", "shapes"})

#: Constructors with the spellings of lrsched 0.3 - 0.5 (see `lrsched._compat`):
#: a function there builds the class, translating the published parameter names.
SPELLED = frozenset(
    {
        "linear",
        "polynomial",
        "cosine_restarts",
        "one_cycle",
        "step_decay",
        "polynomial_decay",
        "exponential_decay",
        "warmup_stable_decay",
    }
)

#: The lowercase constructor of each leaf class is its type name.
LEAF_ALIASES: dict[str, str] = {
    name: qualname
    for name, (module, qualname) in BUILTINS.items()
    if module not in NOT_LEAVES and name not in SPELLED
}

#: Public name -> module in this package, for names other than the lowercase
#: constructors: the leaf classes, the composites and their functions, the
#: registry, the steppers.
HOMES: dict[str, str] = {
    **{qualname: module for module, qualname in BUILTINS.values() if module not in NOT_LEAVES},
    **dict.fromkeys(SPELLED, "_compat"),
    **dict.fromkeys(("Clip", "Cooldown", "Cycles", "Product", "Skip"), "_arith"),
    "Noise": "_noise",
    **dict.fromkeys(("noam", "rex", "wsd_s"), "_presets"),
    "shapes": "shapes",
    **dict.fromkeys(
        (
            "Bounded",
            "PerEpoch",
            "ScaleByGroup",
            "Scaled",
            "Sequential",
            "Warmup",
            "WithWarmup",
            "sample",
            "scale_by_group",
            "sequential",
            "warmup",
            "with_warmup",
        ),
        "_compose",
    ),
    **dict.fromkeys(("Groups", "groups", "layerwise"), "_groups"),
    "CycleMomentum": "_momentum",
    **dict.fromkeys(
        ("ScheduleMismatchError", "from_state_dict", "register", "registered_types"), "_state"
    ),
    **dict.fromkeys(("ReduceOnPlateau", "Stepper", "reduce_on_plateau"), "_stepper"),
    **dict.fromkeys(
        ("Plan", "PlanChangeWarning", "Resume", "Share", "optimizer_updates", "rest", "share"),
        "_plans",
    ),
}
