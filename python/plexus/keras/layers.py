"""Keras layers: Dense, Activation, Dropout, BatchNormalization, LayerNormalization, GaussianNoise,
Input, InputLayer."""
import plexus._model as native
from plexus.keras._args import deprecated, no_unknown, unsupported

# Keras 1 init names -> Keras 2 names.
_INIT_ALIASES = {"uniform": "random_uniform", "normal": "random_normal"}


def _input_dim(kwargs: dict, where: str) -> int:
    shape = kwargs.pop("input_shape", None)
    dim = kwargs.pop("input_dim", None)
    batch_shape = kwargs.pop("batch_input_shape", None)
    if shape is None and batch_shape is not None:
        shape = tuple(batch_shape)[1:]
    if shape is not None:
        shape = tuple(shape)
        if len(shape) != 1 or shape[0] is None:
            raise NotImplementedError(f"{where}: input_shape={shape!r}; Plexus has dense layers only, "
                                      "so inputs are flat vectors: input_shape=(features,)")
        dim = shape[0]
    return int(dim or 0)


def _common(kwargs: dict, where: str) -> str:
    name = kwargs.pop("name", None) or ""
    dtype = kwargs.pop("dtype", None)
    if dtype not in (None, "float32"):
        raise NotImplementedError(f"{where}: argument 'dtype' is not supported by Plexus (received {dtype!r}; "
                                  "Plexus computes in float32)")
    unsupported(where, trainable=(kwargs.pop("trainable", True), True))
    return name


def _initializer(value, argument, where):
    if isinstance(value, str):
        return _INIT_ALIASES.get(value, value)
    config = getattr(value, "plexus_config", None)
    if config is not None:
        return config
    raise NotImplementedError(f"{where}: {argument}={value!r}; give an initializer by name ('glorot_uniform', "
                              "'he_normal', 'zeros', ...)")


def _activation(value, where):
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value
    name = getattr(value, "__name__", None)
    if name:
        return name
    raise TypeError(f"{where}: activation must be a name such as 'tanh'; received {value!r}")


class Dense(native.Dense):
    """keras.layers.Dense(units, activation=None, use_bias=True, kernel_initializer='glorot_uniform',
    bias_initializer='zeros', kernel_regularizer=None, input_shape=..., input_dim=..., name=...)."""

    def __init__(self, units=None, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        where = "Dense"
        old_units = deprecated(kwargs, "output_dim", "units", where)
        units = units if units is not None else old_units
        init = deprecated(kwargs, "init", "kernel_initializer", where)
        kernel_initializer = init if init is not None else kernel_initializer
        if units is None:
            raise TypeError("Dense: missing required argument 'units'")
        input_dim = _input_dim(kwargs, where)
        name = _common(kwargs, where)
        no_unknown(kwargs, where + "()")
        unsupported(where, bias_regularizer=(bias_regularizer, None), activity_regularizer=(activity_regularizer, None),
                    kernel_constraint=(kernel_constraint, None), bias_constraint=(bias_constraint, None))
        l1 = l2 = 0.0
        if kernel_regularizer is not None:
            if not hasattr(kernel_regularizer, "l1"):
                raise NotImplementedError(f"Dense: kernel_regularizer={kernel_regularizer!r}; use "
                                          "plexus.keras.regularizers.l1/l2/l1_l2")
            l1, l2 = kernel_regularizer.l1, kernel_regularizer.l2
        super().__init__(units, _activation(activation, where), use_bias=use_bias,
                         kernel_initializer=_initializer(kernel_initializer, "kernel_initializer", where),
                         bias_initializer=_initializer(bias_initializer, "bias_initializer", where),
                         kernel_l1=l1, kernel_l2=l2, input_dim=input_dim, name=name)


class Activation(native.Activation):
    """keras.layers.Activation(activation)."""

    def __init__(self, activation, **kwargs):
        self.input_dim = _input_dim(kwargs, "Activation")
        name = _common(kwargs, "Activation")
        no_unknown(kwargs, "Activation()")
        super().__init__(_activation(activation, "Activation"), name=name)


class Dropout(native.Dropout):
    """keras.layers.Dropout(rate); the model's seed drives the masks (``seed`` is not supported)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        self.input_dim = _input_dim(kwargs, "Dropout")
        name = _common(kwargs, "Dropout")
        no_unknown(kwargs, "Dropout()")
        unsupported("Dropout", noise_shape=(noise_shape, None), seed=(seed, None))
        super().__init__(rate, name=name)


def _axis_last(axis, where):
    if axis not in (-1, 1, [-1], [1], (-1,), (1,)):
        raise NotImplementedError(f"{where}: axis={axis!r}; Plexus's inputs are flat vectors, so only the "
                                  "feature axis (-1) is supported")


class BatchNormalization(native.BatchNormalization):
    """keras.layers.BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True):
    batch statistics in fit, moving statistics in predict and evaluate (Keras semantics)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 synchronized=False, **kwargs):
        self.input_dim = _input_dim(kwargs, "BatchNormalization")
        name = _common(kwargs, "BatchNormalization")
        no_unknown(kwargs, "BatchNormalization()")
        _axis_last(axis, "BatchNormalization")
        unsupported("BatchNormalization", beta_initializer=(beta_initializer, "zeros"),
                    gamma_initializer=(gamma_initializer, "ones"),
                    moving_mean_initializer=(moving_mean_initializer, "zeros"),
                    moving_variance_initializer=(moving_variance_initializer, "ones"),
                    beta_regularizer=(beta_regularizer, None), gamma_regularizer=(gamma_regularizer, None),
                    beta_constraint=(beta_constraint, None), gamma_constraint=(gamma_constraint, None),
                    synchronized=(synchronized, False))
        super().__init__(momentum=momentum, epsilon=epsilon, center=center, scale=scale, name=name)


class LayerNormalization(native.LayerNormalization):
    """keras.layers.LayerNormalization(axis=-1, epsilon=0.001, center=True, scale=True)."""

    def __init__(self, axis=-1, epsilon=0.001, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, rms_scaling=False, **kwargs):
        self.input_dim = _input_dim(kwargs, "LayerNormalization")
        name = _common(kwargs, "LayerNormalization")
        unsupported("LayerNormalization", rms_scaling=(rms_scaling, False))
        no_unknown(kwargs, "LayerNormalization()")
        _axis_last(axis, "LayerNormalization")
        unsupported("LayerNormalization", beta_initializer=(beta_initializer, "zeros"),
                    gamma_initializer=(gamma_initializer, "ones"), beta_regularizer=(beta_regularizer, None),
                    gamma_regularizer=(gamma_regularizer, None), beta_constraint=(beta_constraint, None),
                    gamma_constraint=(gamma_constraint, None))
        super().__init__(epsilon=epsilon, center=center, scale=scale, name=name)


class GaussianNoise(native.GaussianNoise):
    """keras.layers.GaussianNoise(stddev): noise in fit only; the model's seed drives it (``seed`` is not supported)."""

    def __init__(self, stddev, seed=None, **kwargs):
        self.input_dim = _input_dim(kwargs, "GaussianNoise")
        name = _common(kwargs, "GaussianNoise")
        no_unknown(kwargs, "GaussianNoise()")
        unsupported("GaussianNoise", seed=(seed, None))
        super().__init__(stddev, name=name)


class InputLayer:
    """keras.layers.InputLayer(input_shape=(features,)): declares the input width of a Sequential."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None, shape=None, **kwargs):
        no_unknown(kwargs, "InputLayer()")
        unsupported("InputLayer", batch_size=(batch_size, None))
        shape = shape if shape is not None else input_shape
        if shape is None:
            raise TypeError("InputLayer: give input_shape=(features,)")
        self.input_dim = _input_dim({"input_shape": shape}, "InputLayer")
        self.name = name or "input_layer"


def Input(shape=None, batch_size=None, name=None, dtype=None, **kwargs):  # noqa: N802 (Keras's name)
    """keras.Input(shape=(features,)) for use as the first entry of a Sequential."""
    no_unknown(kwargs, "Input()")
    return InputLayer(input_shape=shape, batch_size=batch_size, dtype=dtype, name=name)
