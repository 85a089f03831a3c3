"""keras.losses: the loss classes and names Plexus has."""
from plexus.keras import _args

_NAMES = {"categorical_crossentropy": "categorical_crossentropy",
          "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
          "binary_crossentropy": "binary_crossentropy", "mse": "mse", "mean_squared_error": "mse",
          "mae": "mae", "mean_absolute_error": "mae", "huber": "huber", "huber_loss": "huber"}


class Loss:
    plexus_name = ""

    def __init__(self, reduction="sum_over_batch_size", name=None, **options):
        _args.unsupported(type(self).__name__, reduction=(reduction, "sum_over_batch_size"))
        self.options = options


class _CrossEntropy(Loss):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size", name=None):
        _args.unsupported(type(self).__name__, label_smoothing=(label_smoothing, 0.0), axis=(axis, -1))
        super().__init__(reduction, name, from_logits=bool(from_logits))


class CategoricalCrossentropy(_CrossEntropy):
    plexus_name = "categorical_crossentropy"


class BinaryCrossentropy(_CrossEntropy):
    plexus_name = "binary_crossentropy"


class SparseCategoricalCrossentropy(Loss):
    plexus_name = "sparse_categorical_crossentropy"

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size", name=None):
        _args.unsupported("SparseCategoricalCrossentropy", ignore_class=(ignore_class, None))
        super().__init__(reduction, name, from_logits=bool(from_logits))


class MeanSquaredError(Loss):
    plexus_name = "mse"


class MeanAbsoluteError(Loss):
    plexus_name = "mae"


class Huber(Loss):
    plexus_name = "huber"

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name, huber_delta=float(delta))


def resolve(loss):
    """(plexus loss name, compile options) for a Keras loss name or object."""
    if isinstance(loss, str):
        if loss not in _NAMES:
            raise NotImplementedError(f"loss '{loss}' is not supported; valid: {', '.join(_NAMES)}")
        return _NAMES[loss], {}
    if isinstance(loss, Loss):
        return loss.plexus_name, dict(loss.options)
    raise NotImplementedError(f"loss={loss!r}: custom loss functions are not supported; give a name or a "
                              "plexus.keras.losses object")
