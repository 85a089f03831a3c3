"""Data-parallel training and sweeps over MPI, from Python (docs/distributed.md).

Run a script under ``mpirun`` (or Slurm's ``srun``); started alone it is a world of one::

    # mpirun -np 2 python3 train.py
    import plexus, plexus.distributed as dist
    w = dist.world()                      # World(rank=0, size=2, uses_mpi=True)
    model = plexus.Sequential([...]); model.compile(...)
    history = dist.fit(model, x, y, epochs=30, batch_size=128, validation_split=0.2, seed=7)
    if w.rank == 0: model.save("model.plexus")

``fit`` trains every rank on its part of each global batch of ``batch_size`` rows and
averages the gradients with one ``MPI_Allreduce`` per step, so every rank gets the same
weights and the same History (global loss and metrics, the doctor's findings from the
statistics of the whole batches) as one process with the same seed, up to float
summation order. Only rank 0 shows progress. Every rank must call it with the same data,
model and options (``seed`` is required).

``sweep`` runs one trial per configuration of a grid, spread over the ranks (each rank
asks for the next configuration when it is free; rank 0 collects)::

    def trial(config, index):             # config: {"lr": "0.1", "layers": "16,16"} (strings)
        model = make_model(float(config["lr"]), config["layers"])
        return model.fit(x, y, epochs=20, validation_split=0.2, seed=1, verbose=0)
    results = dist.sweep("lr=0.01,0.1;layers=8|16,16", trial, out="sweep")   # on rank 0

MPI is the library's own (the C++ ``DistributedWorld``: Open MPI, started by the first
call here, finalised at exit); it needs no mpi4py. If mpi4py initialised MPI first,
Plexus uses that MPI_COMM_WORLD. Collectives time out after ``PLEXUS_MPI_TIMEOUT``
seconds (default 30) with ``plexus.Error``, so a dead rank ends the job instead of
hanging it.
"""
import os
from typing import Callable, List, NamedTuple, Optional

from plexus import _core

__all__ = ["World", "world", "fit", "sweep"]


class World(NamedTuple):
    rank: int          # this process, 0 .. size-1
    size: int          # processes in the job (1 when started alone)
    uses_mpi: bool     # MPI is initialised (under a launcher, or PLEXUS_MPI=1)

    @property
    def is_root(self) -> bool:
        return self.rank == 0


def world() -> World:
    """This process's place in the job. The first call initialises MPI under a launcher."""
    info = _core._world()
    return World(int(info["rank"]), int(info["size"]), bool(info["uses_mpi"]))


def fit(model, x, y, **options):
    """``model.fit(x, y, **options)`` made data-parallel over the ranks (see the module's text).
    Every rank passes the whole x and y (the same arrays) and the same ``seed``."""
    if options.get("seed") is None and world().size > 1:
        raise _core.ConfigError("plexus.distributed.fit: seed is not set; every rank must use the same seed to "
                                "plan the same split and shuffle (pass seed=N)")
    return model.fit(x, y, distributed=True, **options)


def sweep(grid: str, trial: Callable, *, random: int = 0, seed: int = 0, metric: str = "val_loss",
          out: Optional[str] = None) -> List[dict]:
    """Runs ``trial(config, index)`` for every configuration of ``grid`` (the CLI's ``--grid``
    syntax: ``"lr=0.001,0.01;layers=16,16|32,32;activation=tanh,relu"``), or for ``random``
    of them sampled with ``seed``. ``trial`` returns the History of its fit (and must not use
    plexus.distributed.fit: trials are single-process). Under mpirun the trials are spread
    over the ranks. Returns on rank 0 one dict per trial in index order (index, config,
    ok, error, metric, best, best_epoch, epochs, seconds, findings, rank) and writes
    ``out/leaderboard.csv`` if ``out`` is given; other ranks return []."""
    leaderboard = ""
    if out:
        os.makedirs(out, exist_ok=True)
        leaderboard = os.path.join(out, "leaderboard.csv")
    results = list(_core._sweep(grid, trial, int(random), int(seed), metric, leaderboard))
    for r in results:
        r["config"] = {k: v for k, v in r["config"]}
    return results
