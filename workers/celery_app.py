"""The Celery application: queues, routing and the beat schedule.

Tasks are thin: they take ids, re-read, and call one backend service.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("tradefin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue="celery",
    task_routes={"chain.*": {"queue": "chain"}, "audit.*": {"queue": "audit"}},
    broker_connection_retry_on_startup=True,
    broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 5},
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)

from workers.tasks import BEAT_SCHEDULE  # noqa: E402  (also registers the tasks)

app.conf.beat_schedule = BEAT_SCHEDULE
