"""gunicorn settings shared by every place that serves the API: `make run` (infra/Procfile*), the
fault tests and the API benchmark. Command-line options (bind, workers) still come from the caller.

Used as `gunicorn --config backend/config/gunicorn.py ...`.
"""

import gc


def post_worker_init(worker):
    """The application is loaded: move its import-time objects (Django, DRF, web3, the ABIs, ~200k
    objects) out of the cyclic collector's reach. Without this, every full collection walks them all:
    measured at ~100 ms in one request's time on the benchmark's data, a pause that lands in p99;
    frozen, ~5-10 ms. They live as long as the worker anyway."""
    gc.freeze()
