"""Drive a Keras 3 optimizer with an lrsched schedule.

`LearningRateSchedule` is a ``keras.optimizers.schedules.LearningRateSchedule``:
pass it as any optimizer's ``learning_rate``. The optimizer evaluates it on
its step counter ``optimizer.iterations`` (the number of updates done), so
update *k* uses ``schedule(k)``. It is registered as Keras-serializable, so
``model.save()`` and ``keras.models.load_model()`` round-trip it.

Examples:
    >>> import keras
    >>> from lrsched import cosine
    >>> from lrsched.keras import LearningRateSchedule
    >>> lr = LearningRateSchedule(10 >> cosine(base_lr=1e-3, min_lr=1e-5, total_steps=90))
    >>> optimizer = keras.optimizers.AdamW(learning_rate=lr)
    >>> f"{float(lr(keras.ops.convert_to_tensor(10))):.1e}"
    '1.0e-03'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras

from ._base import GroupSchedule
from ._state import from_state_dict
from ._validate import show

__all__ = ["LearningRateSchedule"]


@keras.saving.register_keras_serializable(package="lrsched", name="LearningRateSchedule")
class LearningRateSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """A Keras learning-rate schedule evaluating an lrsched schedule on the step tensor.

    The step (the optimizer's ``iterations``) is evaluated with the array
    path of lrsched, so it stays a backend array: a JAX array, also under
    ``jax.jit``. On torch the step is read as a Python number; on
    TensorFlow, where ``model.fit`` runs a graph, the schedule runs on the
    step's value when the graph runs (so not under XLA: ``jit_compile=False``). The config is
    the schedule's `state_dict`, so a built-in or registered schedule saves
    with the model; a plain function works but cannot be saved.

    Args:
        schedule: A schedule, or a plain function of the step (on the jax
            backend it receives the step array, so it must use array
            operations). A group schedule is refused: a Keras optimizer has
            one rate.

    Examples:
        >>> from lrsched import linear
        >>> from lrsched.keras import LearningRateSchedule
        >>> lr = LearningRateSchedule(linear(start_lr=1.0, end_lr=0.0, total_steps=4))
        >>> LearningRateSchedule.from_config(lr.get_config()).schedule == lr.schedule
        True
    """

    def __init__(self, schedule: Callable[[Any], Any]) -> None:
        if isinstance(schedule, GroupSchedule):
            raise TypeError(
                "a Keras optimizer has one learning rate; a group schedule cannot drive it"
            )
        if not callable(schedule):
            raise TypeError(f"'schedule' must be a schedule, got {show(schedule)}")
        super().__init__()
        self.schedule = schedule

    def __call__(self, step: Any) -> Any:
        """The learning rate at *step* (a backend scalar tensor), as a backend tensor."""
        x = keras.ops.convert_to_tensor(step)
        if hasattr(x, "__array_namespace__"):  # jax (also traced), numpy
            return self.schedule(x)
        if keras.backend.backend() == "tensorflow":
            return _tensorflow_call(self.schedule, x)
        # torch: evaluate the (eager, scalar) step as a Python number.
        return keras.ops.convert_to_tensor(self.schedule(float(x)))

    def get_config(self) -> dict[str, Any]:
        """``{"schedule": schedule.state_dict()}``: plain data Keras saves as JSON."""
        state_dict = getattr(self.schedule, "state_dict", None)
        if state_dict is None:
            raise TypeError(
                f"cannot save the plain function {show(self.schedule)}; use an lrsched schedule "
                "(or a BaseSchedule subclass decorated with @lrsched.register)"
            )
        return {"schedule": state_dict()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        """Rebuild from `get_config`'s output (safely: only registered schedule types)."""
        if not isinstance(config, dict) or set(config) != {"schedule"}:
            raise ValueError(f"expected a config {{'schedule': ...}}, got {show(config)}")
        return cls(from_state_dict(config["schedule"]))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.schedule!r})"


def _tensorflow_call(schedule: Callable[[Any], Any], step: Any) -> Any:
    """``schedule(step)`` for a TensorFlow step, also a graph tensor inside ``model.fit``.

    ``model.fit`` traces its train step with ``tf.function``, where the step
    has no value yet: the schedule runs on the step's value when the graph
    runs (``tf.numpy_function``). XLA cannot call Python, so on TensorFlow
    compile with ``jit_compile=False`` (the default on a CPU-only machine).
    """
    import numpy as np
    import tensorflow as tf

    dtype = keras.config.floatx()

    def value(t: Any) -> Any:
        return np.asarray(schedule(t.item()), dtype=dtype)

    lr = tf.numpy_function(value, [step], dtype, stateful=False)
    return tf.ensure_shape(lr, ())
