"""The built-in datasets (seed-curves, moons, circles, spirals, xor, gaussians, linear, regression-2d)."""
import dataclasses
from typing import List, Optional

import numpy as np

from plexus import _core


@dataclasses.dataclass
class Dataset:
    """Features ``x`` (n, features) float32 and targets ``y``: (n, 1) class indices for classification."""
    x: np.ndarray
    y: np.ndarray
    feature_names: List[str]
    class_names: List[str]
    target_name: str
    source: str

    @property
    def labels(self) -> np.ndarray:
        """Class indices as a 1-D int array (classification)."""
        return self.y[:, 0].astype(np.int64)


def names() -> List[str]:
    return [d["name"] for d in _core.list_datasets()]


def info() -> List[dict]:
    """Name, task, description and defaults of each built-in dataset."""
    return _core.list_datasets()


def load(name: str, *, samples: Optional[int] = None, noise: Optional[float] = None, seed: int = 0,
         classes: Optional[int] = None) -> Dataset:
    """Generates a built-in dataset; the same seed gives the same rows. ConfigError for bad options."""
    return Dataset(**_core.make_dataset(name, samples, noise, int(seed), classes))
