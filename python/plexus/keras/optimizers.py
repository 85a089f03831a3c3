"""keras.optimizers: SGD, Adam, AdamW, RMSprop, Adagrad (and ``schedules``), with Keras's defaults."""
from plexus.keras import _args


class Optimizer:
    name = ""

    def __init__(self, learning_rate, kwargs, **options):
        lr = _args.deprecated(kwargs, "lr", "learning_rate", type(self).__name__)
        learning_rate = lr if lr is not None else learning_rate
        for clip in ("clipnorm", "clipvalue", "global_clipnorm"):
            if kwargs.get(clip) is not None:
                options[clip] = float(kwargs.pop(clip))
            else:
                kwargs.pop(clip, None)
        kwargs.pop("name", None)
        _args.unsupported(type(self).__name__, decay=(kwargs.pop("decay", 0.0), 0.0),
                          use_ema=(kwargs.pop("use_ema", False), False))
        _args.no_unknown(kwargs, type(self).__name__ + "()")
        self._config = {"name": self.name, **options}
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            self._config["learning_rate"] = learning_rate.initial_learning_rate
            self._config["schedule"] = learning_rate.plexus_config
        else:
            self._config["learning_rate"] = float(learning_rate)

    @property
    def learning_rate(self) -> float:
        return self._config["learning_rate"]

    def get_config(self) -> dict:
        return dict(self._config)


class SGD(Optimizer):
    name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None, **kwargs):
        _args.unsupported("SGD", weight_decay=(weight_decay, None))
        super().__init__(learning_rate, kwargs, momentum=float(momentum), nesterov=bool(nesterov))


class Adam(Optimizer):
    name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 weight_decay=None, **kwargs):
        _args.unsupported("Adam", amsgrad=(amsgrad, False), weight_decay=(weight_decay, None))
        super().__init__(learning_rate, kwargs, beta_1=float(beta_1), beta_2=float(beta_2), epsilon=float(epsilon))


class AdamW(Optimizer):
    name = "adamw"

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        _args.unsupported("AdamW", amsgrad=(amsgrad, False))
        super().__init__(learning_rate, kwargs, weight_decay=float(weight_decay), beta_1=float(beta_1),
                         beta_2=float(beta_2), epsilon=float(epsilon))


class RMSprop(Optimizer):
    name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kwargs):
        _args.unsupported("RMSprop", momentum=(momentum, 0.0), centered=(centered, False))
        super().__init__(learning_rate, kwargs, rho=float(rho), epsilon=float(epsilon))


class Adagrad(Optimizer):
    name = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, kwargs, initial_accumulator_value=float(initial_accumulator_value),
                         epsilon=float(epsilon))


_NAMES = {"sgd": "sgd", "adam": "adam", "adamw": "adamw", "rmsprop": "rmsprop", "adagrad": "adagrad"}


def get(identifier):
    """An optimizer config from a name ('sgd') or an optimizer object."""
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _NAMES:
            raise NotImplementedError(f"optimizer '{identifier}' is not supported; valid: {', '.join(_NAMES)}")
        return {"name": _NAMES[key]}
    if isinstance(identifier, Optimizer):
        return identifier.get_config()
    raise TypeError(f"optimizer must be a name or a plexus.keras.optimizers object; received {identifier!r}")


resolve = get


class schedules:  # noqa: N801 (keras.optimizers.schedules)
    """keras.optimizers.schedules: ExponentialDecay, CosineDecay."""

    class LearningRateSchedule:
        initial_learning_rate = 0.0
        plexus_config: dict = {}

    class ExponentialDecay(LearningRateSchedule):
        def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
            self.initial_learning_rate = float(initial_learning_rate)
            self.plexus_config = {"name": "exponential", "decay_steps": int(decay_steps),
                                  "decay_rate": float(decay_rate), "staircase": bool(staircase)}

    class CosineDecay(LearningRateSchedule):
        def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name=None, warmup_target=None,
                     warmup_steps=0):
            _args.unsupported("CosineDecay", warmup_target=(warmup_target, None), warmup_steps=(warmup_steps, 0))
            self.initial_learning_rate = float(initial_learning_rate)
            self.plexus_config = {"name": "cosine", "decay_steps": int(decay_steps), "alpha": float(alpha)}
