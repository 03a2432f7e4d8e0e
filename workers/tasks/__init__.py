"""Task modules, one per backend capability. Each declares its own BEAT_SCHEDULE entries."""

import importlib

TASK_MODULES = ["chain", "customs", "financing", "credit", "audit", "oversight", "ops"]

BEAT_SCHEDULE: dict = {}
for _name in TASK_MODULES:
    try:
        _module = importlib.import_module(f"workers.tasks.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"workers.tasks.{_name}":
            raise
        continue
    BEAT_SCHEDULE.update(getattr(_module, "BEAT_SCHEDULE", {}))
