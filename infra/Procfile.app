# The application processes; infra/scripts/run.sh (make run) starts Anvil before them.
# honcho sets PORT for every process, so the web port is WEB_PORT (default 8000).
web: infra/scripts/with-env.sh .venv/bin/gunicorn config.wsgi:application --config backend/config/gunicorn.py --chdir backend --bind 127.0.0.1:${WEB_PORT:-8000} --workers ${WEB_WORKERS:-3} --access-logfile -
worker: infra/scripts/with-env.sh .venv/bin/celery -A workers.celery_app worker --loglevel=INFO --concurrency=2 -Q celery,chain,audit -n worker@%h
beat: infra/scripts/with-env.sh .venv/bin/celery -A workers.celery_app beat --loglevel=INFO --schedule .run/celerybeat-schedule
