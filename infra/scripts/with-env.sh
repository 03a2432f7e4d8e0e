#!/usr/bin/env bash
# Run a command from the repository root with the project environment:
# .run/services.env (DATABASE_URL, REDIS_URL), DJANGO_SETTINGS_MODULE (default config.settings.dev),
# PYTHONPATH=backend:., CHAIN_RPC_URL=http://127.0.0.1:$ANVIL_PORT, absolute ANVIL/FORGE.
#   infra/scripts/with-env.sh .venv/bin/python backend/manage.py shell
set -euo pipefail
# shellcheck source=infra/scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -gt 0 ] || die "usage: $0 COMMAND [ARG...]"
[ -f "$RUN_DIR/services.env" ] || warn ".run/services.env is missing: run 'make services' first (using the settings' defaults)"
load_env
cd "$ROOT"
exec "$@"
