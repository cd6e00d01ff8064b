from typing import Any

from . import schedules as schedules

class Optimizer:
    iterations: Any
    learning_rate: Any
    def __init__(self, learning_rate: Any = ..., **kwargs: Any) -> None: ...
    def get_config(self) -> dict[str, Any]: ...

class SGD(Optimizer):
    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        **kwargs: Any,
    ) -> None: ...

class Adam(Optimizer): ...
class AdamW(Optimizer): ...
