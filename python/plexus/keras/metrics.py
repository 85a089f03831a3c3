"""keras.metrics: the metric names and classes Plexus computes. History keys use the name given
in compile (Keras's behaviour): metrics=['acc'] logs 'acc' and 'val_acc'."""

# Keras name -> Plexus metric.
_NAMES = {"accuracy": "accuracy", "acc": "accuracy", "categorical_accuracy": "accuracy",
          "binary_accuracy": "accuracy", "sparse_categorical_accuracy": "accuracy", "precision": "precision",
          "recall": "recall", "f1_score": "f1", "f1": "f1", "mse": "mse", "mean_squared_error": "mse",
          "mae": "mae", "mean_absolute_error": "mae", "r2_score": "r2", "r2": "r2"}


class Metric:
    plexus_name = ""
    default_name = ""

    def __init__(self, name=None, dtype=None):
        self.name = name or self.default_name


def _metric(class_name, plexus_name, default_name):
    return type(class_name, (Metric,), {"plexus_name": plexus_name, "default_name": default_name})


Accuracy = _metric("Accuracy", "accuracy", "accuracy")
CategoricalAccuracy = _metric("CategoricalAccuracy", "accuracy", "categorical_accuracy")
BinaryAccuracy = _metric("BinaryAccuracy", "accuracy", "binary_accuracy")
SparseCategoricalAccuracy = _metric("SparseCategoricalAccuracy", "accuracy", "sparse_categorical_accuracy")
Precision = _metric("Precision", "precision", "precision")
Recall = _metric("Recall", "recall", "recall")
F1Score = _metric("F1Score", "f1", "f1_score")
MeanSquaredError = _metric("MeanSquaredError", "mse", "mean_squared_error")
MeanAbsoluteError = _metric("MeanAbsoluteError", "mae", "mean_absolute_error")
R2Score = _metric("R2Score", "r2", "r2_score")


def resolve(metrics):
    """(Plexus metric names, {plexus name: [Keras history keys]}) in compile's order."""
    names, keys = [], {}
    for m in metrics or []:
        if isinstance(m, str):
            if m not in _NAMES:
                raise NotImplementedError(f"metric '{m}' is not supported; valid: {', '.join(_NAMES)}")
            plexus_name, key = _NAMES[m], m
        elif isinstance(m, Metric):
            plexus_name, key = m.plexus_name, m.name
        else:
            raise NotImplementedError(f"metric {m!r}: custom metric functions are not supported")
        if plexus_name not in names:
            names.append(plexus_name)
        keys.setdefault(plexus_name, []).append(key)
    return names, keys
