from workers.tasks import chain  # noqa: F401
