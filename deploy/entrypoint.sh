#!/usr/bin/env bash
# The one way Coffeechat's processes start in a deployment: the container image, the
# compose file and the systemd units all run this script, and the tests run it directly.
#
#   entrypoint.sh migrate   apply database migrations (and the cache table), then exit
#   entrypoint.sh web       serve the web pages and API (no embedded worker; run `worker`)
#   entrypoint.sh worker    run background tasks and the follow-ups tick
#   entrypoint.sh CMD …     any other `coffeechat` command (backup, createuser, check …)
#
# Settings come from the environment (docs/configuration.md). COFFEECHAT_BIN names the
# `coffeechat` program when it is not on PATH (e.g. /opt/coffeechat/venv/bin/coffeechat).
set -euo pipefail

COFFEECHAT="${COFFEECHAT_BIN:-coffeechat}"
if ! command -v "$COFFEECHAT" >/dev/null 2>&1; then
  echo "entrypoint: cannot find '$COFFEECHAT'; set COFFEECHAT_BIN to the coffeechat program." >&2
  exit 127
fi

role="${1:-web}"
[ $# -gt 0 ] && shift

case "$role" in
  migrate)
    exec "$COFFEECHAT" migrate --no-input "$@"
    ;;
  web)
    # Migrations run once, in the `migrate` role (a release step); web processes only serve.
    exec "$COFFEECHAT" serve \
      --host "${COFFEECHAT_HOST:-0.0.0.0}" --port "${COFFEECHAT_PORT:-8000}" \
      --no-worker --no-migrate "$@"
    ;;
  worker)
    exec "$COFFEECHAT" worker "$@"
    ;;
  *)
    exec "$COFFEECHAT" "$role" "$@"
    ;;
esac
