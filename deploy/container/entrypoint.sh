#!/bin/sh
# The egov container's roles: web | worker | beat | migrate | healthcheck | manage ARGS...
# Every setting comes from the environment (docs/operations/env-vars.md); nothing is kept
# on the container's disk (docs/operations/scale-out.md).
set -eu

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
web)
    # ADR 0015: granian, one worker per core by default, behind the load balancer.
    exec granian --interface wsgi --host 0.0.0.0 --port "${PORT:-8000}" \
        --workers "${GRANIAN_WORKERS:-$(nproc)}" \
        --blocking-threads 1 --http 1 --no-ws --backlog 2048 \
        --respawn-failed-workers \
        "$@" egov.wsgi:application
    ;;
worker)
    # Sending notifications waits on the network: threads (docs/operations/notifications.md).
    exec celery -A egov worker --loglevel="${LOG_LEVEL:-INFO}" \
        --queues="${EGOV_WORKER_QUEUES:-celery}" \
        --pool="${EGOV_WORKER_POOL:-threads}" \
        --concurrency="${EGOV_WORKER_CONCURRENCY:-32}" \
        --hostname="worker@%h" "$@"
    ;;
beat)
    # Exactly one beat in the whole deployment: two would run every periodic job twice.
    exec celery -A egov beat --loglevel="${LOG_LEVEL:-INFO}" \
        --schedule="${EGOV_BEAT_SCHEDULE:-/tmp/celerybeat-schedule}" "$@"
    ;;
migrate)
    # One-shot, before new web and worker containers start; safe to run again.
    django-admin migrate --noinput
    if [ -z "${CACHE_URL:-}" ]; then
        django-admin createcachetable
    fi
    django-admin check --deploy --fail-level ERROR
    ;;
healthcheck)
    # /healthz of this container's web server (database and broker answer), with a host
    # name the site accepts and the scheme the proxy would forward.
    exec python - <<'PY'
import os, sys, urllib.request
hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
host = next((h.lstrip(".") for h in hosts if "*" not in h), "localhost")
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as answer:  # noqa: S310
        sys.exit(0 if answer.status == 200 else 1)
except Exception as exc:  # noqa: BLE001
    print(f"healthz: {exc}", file=sys.stderr)
    sys.exit(1)
PY
    ;;
manage)
    exec django-admin "$@"
    ;;
*)
    echo "usage: egov-entrypoint web|worker|beat|migrate|healthcheck|manage ARGS..." >&2
    exit 64
    ;;
esac
