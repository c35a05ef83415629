#!/usr/bin/env bash
# Serves gunicorn and the django-q2 worker together; Ctrl-C stops both.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
BIN=$(dirname "$PY")

"$PY" manage.py qcluster &
worker=$!
"$BIN/gunicorn" qifu.wsgi:application --bind "127.0.0.1:${PORT}" --workers "${WEB_CONCURRENCY:-2}" \
  --threads 4 --access-logfile - --graceful-timeout 10 &
web=$!

stop() {
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
echo "企服 Qifu: http://127.0.0.1:${PORT}/ (Ctrl-C to stop)"
# Whichever stops first brings the other down with it.
wait -n "$web" "$worker"
