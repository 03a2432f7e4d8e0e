"""Load the Celery app with Django so that tasks can be sent by name from services."""

try:
    from workers.celery_app import app as celery_app
except ImportError:  # the backend used without the workers package on the path
    celery_app = None

__all__ = ["celery_app"]
