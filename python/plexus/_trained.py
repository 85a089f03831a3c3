"""plexus.load_run: a trained model as `plexus predict` uses it."""
from typing import List

import numpy as np

from plexus import _core
from plexus._model import Finding


class TrainedModel:
    """A model file (or run folder) written by ``plexus train``, ``plexus cv`` or ``Sequential.save``,
    with everything the command line applies around the network: the feature standardizer
    (``--standardize``), the target scaling (``--standardize-target``: outputs come back in the target's
    units), the table preprocessor (text categories, missing cells: use ``predict_csv``), and the check of
    where the rows lie against the training data (``predict.extrapolation``, in ``findings``).

        run = plexus.load_run("runs/moons")
        probabilities = run.predict(x)           # (n, classes), or (n, outputs) for regression
        run.findings                             # what the doctor said about those rows
    """

    def __init__(self, path):
        self._core = _core.TrainedModel(str(path))
        self.findings: List[Finding] = []

    path = property(lambda self: self._core.path)
    class_names = property(lambda self: list(self._core.class_names))
    feature_names = property(lambda self: list(self._core.feature_names))
    classification = property(lambda self: self._core.classification)
    takes_tables = property(lambda self: self._core.takes_tables, doc="True: predict_csv on raw table rows")

    def predict(self, x) -> np.ndarray:
        """Outputs for the rows of ``x`` (n, features) in the training file's feature order."""
        outputs, findings = self._core.predict_array(x)
        self.findings = [Finding(**f) for f in findings]
        return outputs

    def predict_csv(self, path) -> np.ndarray:
        """Outputs for the rows of a CSV file with the training file's columns (the target may be absent)."""
        outputs, findings = self._core.predict_csv(str(path))
        self.findings = [Finding(**f) for f in findings]
        return outputs

    def predict_classes(self, x) -> List[str]:
        """Class names of the most probable class of each row (classifiers only)."""
        if not self.classification:
            raise _core.ConfigError(f"predict_classes: {self.path} is a regression model; use predict")
        p = self.predict(x)
        index = (p[:, 0] >= 0.5).astype(int) if p.shape[1] == 1 else p.argmax(axis=1)
        return [self.class_names[i] for i in index]

    def __repr__(self):
        return f"<plexus.TrainedModel {self.path}>"


def load_run(path) -> TrainedModel:
    """Opens a run folder or model file for prediction as ``plexus predict`` does it."""
    return TrainedModel(path)
