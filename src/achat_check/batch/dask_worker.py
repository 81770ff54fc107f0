"""How a Dask worker that checks markets is started: with our modules already imported.

    dask worker tcp://hôte:8786 --nthreads 1 --preload achat_check.batch.dask_worker

A local batch worker is forked from a forkserver that imported what it needs once
(`runner.WORKER_MODULES`).  A Dask worker without this preload imports the same modules
while it unpickles its first market's task, inside the job: 1.5 s of CPU per worker, and
measured on 300 markets of the batch bench, Dask LocalCluster(2) took 24.4 to 25.6 s without
it and 22.9 to 23.8 s with it, against 20.9 to 22.2 s for the local pool in the same runs.  The rules and the
pipeline are still built by the first market (`runner.warm_up`), as in a local worker: the
rule pack is the job's, not known when the worker starts.

`WORKER_CONFIG` is the same set-up as Dask configuration, for a `LocalCluster` (the bench,
the tests) or a worker's YAML file.
"""

from __future__ import annotations

import importlib

#: Dask configuration of a worker that checks markets: this preload, and Dask's sampling
#: profiler off (it samples the task's stack every 10 ms for the dashboard: measured, 13 to
#: 15 ms of CPU per market, a quarter of the worker's own; README, section on Dask)
WORKER_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.preload": [__name__],
}


def dask_setup(worker: object = None) -> None:
    """Called by Dask when the worker starts: import what checking a market needs."""
    from achat_check.batch.runner import WORKER_MODULES

    for module in WORKER_MODULES:
        importlib.import_module(module)
