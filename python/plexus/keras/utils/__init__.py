"""keras.utils: to_categorical, set_random_seed (and np_utils for Keras 1/2 scripts)."""
import random as _random

from plexus.keras.utils.np_utils import to_categorical

_seeds = _random.Random(0)


def set_random_seed(seed: int) -> None:
    """Seeds the generator that gives each compiled model its seed (weights, split, shuffle, dropout).
    Without it, a script's models get the same seeds on every run (Plexus is deterministic)."""
    _seeds.seed(int(seed))


def _next_seed() -> int:
    return _seeds.getrandbits(63)


__all__ = ["to_categorical", "set_random_seed", "np_utils"]
