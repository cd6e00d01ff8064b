"""Where lrsched's names live: read by the package namespace and the registry.

No imports, so that ``import lrsched`` stays cheap: a module named here is
imported only when one of its names is first used.
"""

from __future__ import annotations

__all__ = ["BUILTINS", "COMPOSITE_MODULES", "HOMES", "LEAF_ALIASES"]

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
    "polynomial": ("_decays", "Polynomial"),
    "cosine": ("_decays", "Cosine"),
    "cosine_restarts": ("_decays", "CosineRestarts"),
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
}

#: The modules of composite types (schedules built from schedules): every
#: other module of `BUILTINS` holds leaves (curves).
COMPOSITE_MODULES: frozenset[str] = frozenset({"_compose", "_groups", "_momentum"})

#: The lowercase constructor of each leaf class is its type name.
LEAF_ALIASES: dict[str, str] = {
    name: qualname
    for name, (module, qualname) in BUILTINS.items()
    if module not in COMPOSITE_MODULES
}

#: Public name -> module in this package, for names other than the lowercase
#: constructors: the leaf classes, the composites and their functions, the
#: registry, the steppers.
HOMES: dict[str, str] = {
    **{
        qualname: module
        for module, qualname in BUILTINS.values()
        if module not in COMPOSITE_MODULES
    },
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
}
