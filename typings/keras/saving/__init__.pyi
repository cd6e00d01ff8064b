from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")

def register_keras_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable[[_T], _T]: ...
