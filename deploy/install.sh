#!/usr/bin/env bash
# Install, or bring up to date, egov on one Debian 12 or Ubuntu 24.04 machine: PostgreSQL,
# Redis, granian behind nginx, one Celery worker and beat, nightly backups.
#
#   deploy/install.sh --domain egov.example.gov.vn   first run (as root)
#   deploy/install.sh                                 again after `git pull`: an upgrade
#
# Options:
#   --domain NAME   public host name (needed on the first run; later read from the env file)
#   --demo          load the demo data (demo accounts with known passwords: training
#                   servers only, never a real one)
#   --skip-apt      do not install or upgrade system packages
#   --no-backup     on an upgrade, do not take a backup before migrating
#   --no-start      install everything but do not (re)start the services
#   --force         run on a system other than Debian 12 / Ubuntu 24.04
#
# Safe to run again: nothing is created twice, /etc/egov/egov.env (secret key, database
# password) is written once and never overwritten, and every step checks before it changes.
# Layout: code /srv/egov (this checkout, copied there when run from elsewhere), virtualenv
# /srv/egov/.venv, settings /etc/egov/egov.env, files /var/lib/egov/media, beat schedule
# /var/lib/egov/beat, app logs journald (+ /var/log/egov), backups /var/backups/egov.
# The guide is docs/operations/single-server.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

readonly APP_DIR=/srv/egov
readonly ENV_FILE=/etc/egov/egov.env
readonly STATE_DIR=/var/lib/egov
readonly MEDIA_DIR=$STATE_DIR/media
readonly LOG_DIR=/var/log/egov
readonly BACKUP_DIR=/var/backups/egov
readonly ACME_ROOT=/var/www/letsencrypt
readonly SERVICES=(egov-web egov-worker egov-beat)

domain="" demo=false skip_apt=false backup=true start=true force=false
while (($#)); do
  case $1 in
    --domain) domain=${2:?--domain needs a host name}; shift 2 ;;
    --demo) demo=true; shift ;;
    --skip-apt) skip_apt=true; shift ;;
    --no-backup) backup=false; shift ;;
    --no-start) start=false; shift ;;
    --force) force=true; shift ;;
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) egov_die "unknown argument: $1 (see --help)" ;;
  esac
done
if [[ -n $domain && ! $domain =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; then
  egov_die "--domain must be a host name such as egov.example.gov.vn"
fi

step() { printf '\n== %s\n' "$*"; }

((EUID == 0)) || egov_die "run as root (sudo $0 ...)"
# shellcheck source=/dev/null
. /etc/os-release
case "${ID:-}:${VERSION_ID:-}" in
  debian:12 | ubuntu:24.04) ;;
  *) $force || egov_die "tested on Debian 12 and Ubuntu 24.04, this is ${PRETTY_NAME:-unknown} (--force to go on)" ;;
esac
command -v systemctl >/dev/null 2>&1 || egov_die "systemd is needed"

# --- 1. System packages ----------------------------------------------------------------------
if ! $skip_apt; then
  step "system packages"
  packages=(
    postgresql postgresql-client redis-server nginx ssl-cert certbot logrotate
    python3 python3-venv gettext git rsync curl ca-certificates util-linux
    # WeasyPrint (printed forms and receipts) and Vietnamese fonts.
    fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
    shared-mime-info
  )
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
python=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
    "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python=$(command -v "$candidate")
    break
  fi
done
[[ -n $python ]] || egov_die "Python 3.11 or newer is needed (python3 --version)"

# --- 2. The egov user and its folders --------------------------------------------------------
step "user egov and folders"
if ! id egov >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
    --shell /usr/sbin/nologin --comment "egov application" egov
fi
install -d -o root -g egov -m 0750 /etc/egov
# Others (nginx) may pass through the state folders to reach the public images, and only them:
# attachments/ and documents/ are closed, the application serves those after its checks.
install -d -o egov -g egov -m 0751 "$STATE_DIR" "$MEDIA_DIR"
install -d -o egov -g egov -m 0750 "$MEDIA_DIR/attachments" "$MEDIA_DIR/documents" \
  "$STATE_DIR/beat" "$STATE_DIR/cache"
install -d -o egov -g egov -m 0755 "$MEDIA_DIR/images" "$MEDIA_DIR/original_images"
install -d -o egov -g adm -m 0750 "$LOG_DIR"
install -d -o egov -g egov -m 0700 "$BACKUP_DIR"
install -d -o root -g root -m 0755 "$ACME_ROOT"

# --- 3. The code and its virtualenv ----------------------------------------------------------
step "code in $APP_DIR"
source_dir=$(dirname "$here")
if [[ $source_dir != "$APP_DIR" ]]; then
  install -d -m 0755 "$APP_DIR"
  rsync -a --delete --exclude=/.venv --exclude=/var --exclude=/staticfiles \
    --exclude=__pycache__ --exclude=/.env "$source_dir/" "$APP_DIR/"
fi
chown -R root:root "$APP_DIR"
chmod 0755 "$APP_DIR"
[[ -x $APP_DIR/.venv/bin/python ]] || "$python" -m venv "$APP_DIR/.venv"
"$APP_DIR/.venv/bin/python" -m pip install --quiet --upgrade "pip==25.3"
# Editable: settings find templates, static files and locale beside manage.py (BASE_DIR).
"$APP_DIR/.venv/bin/python" -m pip install --quiet \
  -c "$APP_DIR/requirements/constraints.txt" -e "$APP_DIR"
# The services cannot write the code folder: compile once here.
"$APP_DIR/.venv/bin/python" -m compileall -q -j 0 "$APP_DIR/src" >/dev/null
install -m 0755 "$APP_DIR/deploy/egov-manage" /usr/local/bin/egov-manage

# --- 4. /etc/egov/egov.env: written once, never overwritten ----------------------------------
step "settings $ENV_FILE"
if [[ -e $ENV_FILE ]]; then
  egov_note "kept the existing $ENV_FILE"
else
  [[ -n $domain ]] || egov_die "the first run needs --domain (the public host name)"
  secret_key=$("$python" -c 'import secrets; print(secrets.token_urlsafe(50))')
  db_password=$("$python" -c 'import secrets; print(secrets.token_hex(24))')
  workers=$(nproc)  # one granian worker per core (ADR 0015, docs/performance.md)
  umask 077
  sed -e "s|__SECRET_KEY__|$secret_key|" -e "s|__DB_PASSWORD__|$db_password|" \
    -e "s|__DOMAIN__|$domain|g" -e "s|__WEB_WORKERS__|$workers|" \
    "$APP_DIR/deploy/egov.env.template" >"$ENV_FILE.new"
  umask 022
  mv "$ENV_FILE.new" "$ENV_FILE"
  egov_note "wrote $ENV_FILE with a new secret key and database password"
fi
chown root:egov "$ENV_FILE"
chmod 0640 "$ENV_FILE"
egov_load_env_file "$ENV_FILE"
if [[ -z $domain ]]; then
  domain=${EGOV_BASE_URL#*://}
  domain=${domain%%[/:]*}
fi
[[ -n $domain ]] || egov_die "no --domain and no EGOV_BASE_URL in $ENV_FILE"

# --- 5. PostgreSQL and Redis -----------------------------------------------------------------
step "PostgreSQL and Redis"
systemctl enable --now postgresql >/dev/null
egov_parse_database_url "$DATABASE_URL"
case $DB_HOST in
  "" | 127.0.0.1 | localhost | ::1 | /*)
    [[ -n $DB_USER ]] || egov_die "DATABASE_URL in $ENV_FILE names no user"
    [[ $DB_USER != postgres ]] ||
      egov_die "DATABASE_URL in $ENV_FILE uses the postgres superuser: give egov a role of its own"
    # The password reaches psql through the environment, never the command line.
    EGOV_DB_PASSWORD=$DB_PASSWORD runuser -u postgres -- \
      psql -X -q -v ON_ERROR_STOP=1 --port="$DB_PORT" --dbname=postgres \
      -v role="$DB_USER" -v db="$DB_NAME" <<'SQL'
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
\getenv pw EGOV_DB_PASSWORD
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'role', 'UTF8')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
    egov_note "database $DB_NAME owned by $DB_USER is ready"
    ;;
  *) egov_note "DATABASE_URL points to $DB_HOST: create the database and role there yourself" ;;
esac
redis_conf=/etc/redis/redis.conf
if [[ -f $redis_conf ]] && ! grep -Eq '^[[:space:]]*maxmemory-policy[[:space:]]' "$redis_conf"; then
  # Keys without an expiry (portal view counts, cache generations) must never be evicted.
  printf '\n# egov: evict only keys that expire (docs/operations/deployment.md)\nmaxmemory-policy volatile-lru\n' >>"$redis_conf"
  systemctl restart redis-server
fi
systemctl enable --now redis-server >/dev/null

# --- 6. The application: backup (upgrades), migrate, static files, reference data -----------
as_egov() {
  (cd "$APP_DIR" && runuser -u egov -- "$APP_DIR/.venv/bin/python" "$APP_DIR/manage.py" "$@")
}
# Static files belong to root like the code: a compromised service cannot alter them.
as_root() {
  (cd "$APP_DIR" && "$APP_DIR/.venv/bin/python" "$APP_DIR/manage.py" "$@")
}
upgrade=false
[[ -e /etc/systemd/system/egov-web.service ]] && upgrade=true
if $upgrade && $backup; then
  step "backup before the upgrade"
  runuser -u egov -- "$APP_DIR/deploy/backup.sh" --env-file "$ENV_FILE"
fi
step "database migrations, static files, reference data"
as_egov migrate --noinput
as_egov check --deploy --fail-level ERROR
[[ -n ${CACHE_URL:-} ]] || as_egov createcachetable
as_root collectstatic --noinput --verbosity 0
as_egov import_units
as_egov sync_roles
as_egov portal_editorial_setup
if $demo; then
  step "demo data (training server)"
  (
    export EGOV_DEMO=true
    as_egov seed_demo
    as_egov seed_portal
    as_egov seed_procedures
    as_egov seed_bookings
  )
fi

# --- 7. systemd units, log rotation, journald ------------------------------------------------
step "systemd units, log rotation"
install -m 0644 "$APP_DIR"/deploy/systemd/egov-*.service "$APP_DIR"/deploy/systemd/egov-*.timer \
  /etc/systemd/system/
install -m 0644 "$APP_DIR/deploy/logrotate/egov" /etc/logrotate.d/egov
logrotate --debug /etc/logrotate.d/egov >/dev/null 2>&1 ||
  egov_die "logrotate rejects /etc/logrotate.d/egov (logrotate --debug /etc/logrotate.d/egov)"
if ! cmp -s "$APP_DIR/deploy/journald/egov.conf" /etc/systemd/journald.conf.d/egov.conf; then
  install -D -m 0644 "$APP_DIR/deploy/journald/egov.conf" /etc/systemd/journald.conf.d/egov.conf
  systemctl restart systemd-journald
fi
systemctl daemon-reload
systemctl enable "${SERVICES[@]}" egov-backup.timer >/dev/null 2>&1

# --- 8. nginx --------------------------------------------------------------------------------
step "nginx for $domain"
certificate=/etc/letsencrypt/live/$domain/fullchain.pem
certificate_key=/etc/letsencrypt/live/$domain/privkey.pem
if [[ ! -e $certificate ]]; then
  # Until certbot has run: the machine's self-signed certificate (browsers will warn).
  [[ -e /etc/ssl/certs/ssl-cert-snakeoil.pem ]] || make-ssl-cert generate-default-snakeoil
  certificate=/etc/ssl/certs/ssl-cert-snakeoil.pem
  certificate_key=/etc/ssl/private/ssl-cert-snakeoil.key
  egov_note "no Let's Encrypt certificate for $domain yet: using a self-signed one (see single-server.md, TLS)"
fi
sed -e "s|__SERVER_NAME__|$domain|g" -e "s|__TLS_CERTIFICATE__|$certificate|" \
  -e "s|__TLS_CERTIFICATE_KEY__|$certificate_key|" -e "s|__STATIC_ROOT__|$APP_DIR/staticfiles|" \
  -e "s|__MEDIA_ROOT__|$MEDIA_DIR|g" "$APP_DIR/deploy/nginx/egov.conf" \
  >/etc/nginx/sites-available/egov.conf
ln -sfn /etc/nginx/sites-available/egov.conf /etc/nginx/sites-enabled/egov.conf
# Debian's placeholder site would answer requests by address; ours redirects them to HTTPS.
[[ -L /etc/nginx/sites-enabled/default ]] && rm -f /etc/nginx/sites-enabled/default
nginx -t -q
systemctl enable nginx >/dev/null 2>&1
systemctl reload-or-restart nginx

# --- 9. Start and check ----------------------------------------------------------------------
if $start; then
  step "starting the services"
  systemctl restart "${SERVICES[@]}"
  systemctl start egov-backup.timer
  healthy=false
  for _ in $(seq 1 30); do
    if curl -fsS --max-time 5 http://127.0.0.1:8000/healthz >/dev/null 2>&1; then
      healthy=true
      break
    fi
    sleep 2
  done
  $healthy || egov_die "the application does not answer on /healthz: journalctl -u egov-web -n 50"
  curl -fsS --max-time 5 http://127.0.0.1:8000/healthz
  echo
  curl -fsSk --max-time 5 --resolve "$domain:443:127.0.0.1" "https://$domain/healthz" >/dev/null ||
    egov_die "nginx does not pass https://$domain/healthz to the application: /var/log/nginx/egov-error.log"
fi

step "done"
cat <<EOF
egov is installed for https://$domain/
Next (docs/operations/single-server.md):
  - a certificate:  certbot certonly --webroot -w $ACME_ROOT -d $domain --deploy-hook 'systemctl reload nginx'
                    then run $APP_DIR/deploy/install.sh --skip-apt again
  - the first administrator:  egov-manage createsuperuser
  - e-mail (EMAIL_URL) and an SMS gateway in $ENV_FILE, then restart egov-web egov-worker egov-beat
EOF
