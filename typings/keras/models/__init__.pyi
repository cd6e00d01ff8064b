from os import PathLike
from typing import Any

from ..layers import Layer
from ..optimizers import Optimizer

class Model(Layer):
    optimizer: Optimizer
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, **kwargs: Any) -> None: ...
    def fit(self, x: Any = None, y: Any = None, **kwargs: Any) -> Any: ...
    def save(
        self, filepath: str | PathLike[str], overwrite: bool = True, **kwargs: Any
    ) -> None: ...

class Sequential(Model):
    def __init__(self, layers: list[Any] | None = None, **kwargs: Any) -> None: ...

def load_model(
    filepath: str | PathLike[str], custom_objects: dict[str, Any] | None = None, **kwargs: Any
) -> Model: ...
