from typing import Any

from . import backend as backend
from . import callbacks as callbacks
from . import config as config
from . import layers as layers
from . import models as models
from . import ops as ops
from . import optimizers as optimizers
from . import saving as saving
from . import utils as utils
from .models import Model as Model
from .models import Sequential as Sequential

__version__: str

def Input(shape: tuple[int | None, ...], **kwargs: Any) -> Any: ...
