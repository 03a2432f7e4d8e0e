"""Related rows a service already holds, attached as if `prefetch_related` had read them.

A write service creates (or locks) the rows its response shows; reading them again to serialize the
response costs a query per relation on every write. `attach_prefetched` stores them the way Django's
own prefetch does (a queryset whose result cache is filled), so `instance.<name>.all()` returns them
without a query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def attach_prefetched(instance: models.Model, name: str, objects: Iterable[models.Model]) -> None:
    manager = getattr(instance, name)
    queryset = manager.all()  # lazy: no query
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    # The key Django's related managers look up: a reverse foreign key's cache name, else (many-to-many)
    # the manager's prefetch cache name.
    key = manager.field.remote_field.cache_name if hasattr(manager, "field") else manager.prefetch_cache_name
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if cache is None:
        cache = instance._prefetched_objects_cache = {}
    cache[key] = queryset
