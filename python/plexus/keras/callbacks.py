"""keras.callbacks: Callback, LambdaCallback, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau,
TerminateOnNaN, CSVLogger, History. Hooks are called in the order of the callbacks list.

Keras hooks Plexus does not call (on_batch_begin, on_train_batch_begin, the test/predict hooks) raise
NotImplementedError when a callback overrides them, rather than being silently skipped.
"""
import plexus.callbacks as native
from plexus.keras import _args

_NOT_CALLED = ("on_batch_begin", "on_train_batch_begin", "on_test_begin", "on_test_end", "on_test_batch_begin",
               "on_test_batch_end", "on_predict_begin", "on_predict_end", "on_predict_batch_begin",
               "on_predict_batch_end")


class Callback(native.Callback):
    """keras.callbacks.Callback: override on_epoch_end(epoch, logs) etc.; self.model and self.params are set."""

    def __init__(self):
        super().__init__()
        self.params = {}

    def set_params(self, params):
        self.params = params

    def on_batch_end(self, batch, logs=None):
        pass

    def _hooks(self) -> dict:
        cls = type(self)
        for name in _NOT_CALLED:
            if getattr(cls, name, None) is not None and getattr(cls, name) is not getattr(Callback, name, None):
                raise NotImplementedError(f"{cls.__name__}.{name}: Plexus does not call this hook yet")
        hooks = super()._hooks()
        if cls.on_batch_end is not Callback.on_batch_end and "on_train_batch_end" not in hooks:
            hooks["on_train_batch_end"] = self.on_batch_end
        return hooks


class LambdaCallback(Callback):
    """keras.callbacks.LambdaCallback(on_epoch_begin, on_epoch_end, on_batch_end, on_train_begin, on_train_end)."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None, on_batch_end=None,
                 on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        on_train_batch_end = kwargs.pop("on_train_batch_end", None)
        _args.no_unknown(kwargs, "LambdaCallback()")
        _args.unsupported("LambdaCallback", on_batch_begin=(on_batch_begin, None))
        self._functions = {"on_train_begin": on_train_begin, "on_epoch_begin": on_epoch_begin,
                           "on_train_batch_end": on_train_batch_end or on_batch_end, "on_epoch_end": on_epoch_end,
                           "on_train_end": on_train_end}

    def _hooks(self) -> dict:
        return {k: f for k, f in self._functions.items() if f is not None}


def _verbose_unsupported(name, verbose):
    _args.unsupported(name, verbose=(verbose, 0))


class EarlyStopping(native.EarlyStopping):
    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        _verbose_unsupported("EarlyStopping", verbose)
        super().__init__(monitor, min_delta, patience, mode, baseline, restore_best_weights, start_from_epoch)


class ModelCheckpoint(native.ModelCheckpoint):
    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        _verbose_unsupported("ModelCheckpoint", verbose)
        _args.unsupported("ModelCheckpoint", save_weights_only=(save_weights_only, False),
                          save_freq=(save_freq, "epoch"), initial_value_threshold=(initial_value_threshold, None))
        # Keras formats "{epoch:02d}"; Plexus replaces "{epoch}" only.
        if "{epoch:" in str(filepath):
            raise NotImplementedError("ModelCheckpoint: format specs in '{epoch:...}' are not supported; use '{epoch}'")
        super().__init__(filepath, monitor, save_best_only, mode)


class ReduceLROnPlateau(native.ReduceLROnPlateau):
    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0, **kwargs):
        _args.no_unknown(kwargs, "ReduceLROnPlateau()")
        _verbose_unsupported("ReduceLROnPlateau", verbose)
        super().__init__(monitor, factor, patience, mode, min_delta, cooldown, min_lr)


class TerminateOnNaN(native.TerminateOnNaN):
    pass


class CSVLogger(native.CSVLogger):
    def __init__(self, filename, separator=",", append=False):
        _args.unsupported("CSVLogger", separator=(separator, ","))
        super().__init__(filename, append)


class History(Callback):
    """Accepted in callbacks lists for compatibility: fit's return value already is the History."""


def prepare(callbacks, model, params) -> list:
    """The callbacks list for the native fit: Keras callbacks get params; History entries are dropped."""
    out = []
    for cb in callbacks or []:
        if isinstance(cb, History):
            continue
        if isinstance(cb, Callback):
            cb.set_params(params)
        out.append(cb)
    return out
