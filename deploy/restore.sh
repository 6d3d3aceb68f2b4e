#!/usr/bin/env bash
# Restore a folder written by backup.sh: DROPS the database and REPLACES the media folder.
#
#   restore.sh --yes [--env-file /etc/egov/egov.env] [--admin-url URL] [--skip-media] BACKUP_DIR
#
# Before you run it, stop everything that uses the database (this script stops nothing):
#     systemctl stop egov-web egov-worker egov-beat egov-backup.timer
# and afterwards:
#     egov-manage migrate        (only when the code is newer than the backup)
#     systemctl start egov-web egov-worker egov-beat egov-backup.timer
#     curl -fsS -H 'Host: <your domain>' http://127.0.0.1:8000/healthz
#
# Order: the checksums of the backup are checked before anything is touched; the database
# named by DATABASE_URL is dropped (it refuses while sessions are connected) and created
# again, owned by DATABASE_URL's user, and the dump is restored by that user in one
# transaction; the media archive is unpacked next to EGOV_MEDIA_ROOT, put in its place (the
# folder it replaces is kept as <media>.before-restore-<time>), and every file's SHA-256 is
# checked where it now lies.  Any failure exits non-zero.
#
# DATABASE_URL, EGOV_STORAGE and EGOV_MEDIA_ROOT come from the environment file (its values
# replace the calling shell's; `--env-file /dev/null` takes them from the shell).
#
# Dropping and creating the database needs a role that may: --admin-url (a libpq address of
# the `postgres` maintenance database, e.g. postgresql://postgres@127.0.0.1:5432/postgres);
# without it, as root on the database server, the `postgres` system user over the local
# socket; otherwise DATABASE_URL's own user (it then needs CREATEDB).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

usage() {
  sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

env_file=/etc/egov/egov.env
env_file_given=false
admin_url="" yes=false skip_media=false backup=""
while (($#)); do
  case $1 in
    --yes) yes=true; shift ;;
    --env-file) env_file=${2:?--env-file needs a path}; env_file_given=true; shift 2 ;;
    --admin-url) admin_url=${2:?--admin-url needs an address}; shift 2 ;;
    --skip-media) skip_media=true; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; egov_die "unknown option: $1" ;;
    *) [[ -z $backup ]] || egov_die "one backup folder only"; backup=$1; shift ;;
  esac
done
[[ -n $backup ]] || { usage >&2; egov_die "name the backup folder to restore"; }
[[ -d $backup ]] || egov_die "no backup folder at $backup"
backup=$(cd "$backup" && pwd)

if [[ -e $env_file ]]; then
  egov_load_env_file "$env_file"
elif $env_file_given; then
  egov_die "no environment file at $env_file"
fi
[[ -n ${DATABASE_URL:-} ]] || egov_die "DATABASE_URL is not set (in $env_file or the environment)"
storage=${EGOV_STORAGE:-local}
media_root=${EGOV_MEDIA_ROOT:-$(dirname "$here")/var/media}
media_root=${media_root%/}
egov_parse_database_url "$DATABASE_URL"
case $DB_NAME in
  postgres | template0 | template1) egov_die "refusing to drop the system database $DB_NAME" ;;
esac

if ! $yes; then
  cat >&2 <<EOF
This would DROP the database "$DB_NAME" on ${DB_HOST:-the local socket}:$DB_PORT and restore it
from $backup, and replace the media folder $media_root.
Stop egov-web, egov-worker, egov-beat and egov-backup.timer first, then run again with --yes.
EOF
  exit 2
fi

egov_require_commands psql pg_restore tar sha256sum
for file in SHA256SUMS database.dump media.tar media.sha256; do
  [[ -f $backup/$file ]] || egov_die "$backup has no $file: not a folder written by backup.sh"
done

# 1. Is the backup intact?  Nothing has been touched yet.
(cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS) ||
  egov_die "the backup's checksums do not match: it is damaged, nothing was changed"
egov_note "backup checksums OK; restoring into database $DB_NAME on ${DB_HOST:-the local socket}:$DB_PORT"

# 2. The database: drop, create (owned by the application's role), restore.
admin_psql() {
  if [[ -n $admin_url ]]; then
    (
      egov_parse_database_url "$admin_url"
      egov_libpq_env
      psql -X --no-psqlrc --quiet -v ON_ERROR_STOP=1 --dbname="$DB_NAME" "$@"
    )
  elif ((EUID == 0)) && id postgres >/dev/null 2>&1 &&
    [[ -z $DB_HOST || $DB_HOST == 127.0.0.1 || $DB_HOST == localhost || $DB_HOST == ::1 || $DB_HOST == /* ]]; then
    runuser -u postgres -- psql -X --quiet -v ON_ERROR_STOP=1 --port="$DB_PORT" --dbname=postgres "$@"
  else
    (
      egov_libpq_env
      psql -X --quiet -v ON_ERROR_STOP=1 --dbname=postgres "$@"
    )
  fi
}

owner=${DB_USER:-}
if [[ -z $owner ]]; then
  owner=$(admin_psql -At -c 'SELECT current_user')
fi
sessions=$(admin_psql -At -v db="$DB_NAME" <<'SQL'
SELECT count(*) FROM pg_stat_activity WHERE datname = :'db' AND pid <> pg_backend_pid();
SQL
)
if ((sessions > 0)); then
  egov_die "$sessions session(s) are connected to $DB_NAME: stop egov-web, egov-worker and egov-beat (systemctl stop egov-web egov-worker egov-beat), then run again"
fi
admin_psql -v db="$DB_NAME" -v owner="$owner" <<'SQL'
SET client_min_messages = warning;
DROP DATABASE IF EXISTS :"db";
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;
SQL
egov_note "database $DB_NAME dropped and created again (owner $owner)"
(
  egov_libpq_env
  pg_restore --no-password --exit-on-error --single-transaction --no-owner --no-privileges \
    --dbname="$DB_NAME" "$backup/database.dump"
)
egov_note "database restored from $backup/database.dump"

# 3. The uploaded files.
if $skip_media; then
  egov_note "--skip-media: the media folder was left as it is"
elif [[ $storage != local ]]; then
  egov_note "EGOV_STORAGE=$storage: files are in object storage, nothing to restore here"
else
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  incoming="$media_root.restoring"
  mkdir -p -- "$(dirname "$media_root")"
  rm -rf -- "$incoming"
  mkdir -- "$incoming"
  tar --extract --preserve-permissions --file="$backup/media.tar" --directory="$incoming"
  if [[ -e $media_root ]]; then
    mv -- "$media_root" "$media_root.before-restore-$stamp"
    egov_note "the previous media folder is kept as $media_root.before-restore-$stamp (remove it once satisfied)"
  fi
  mv -- "$incoming" "$media_root"
  (cd "$media_root" && sha256sum --check --quiet --strict "$backup/media.sha256") ||
    egov_die "restored files do not match their checksums in $backup/media.sha256"
  egov_note "media restored: $(wc -l <"$backup/media.sha256") files in $media_root, checksums OK"
fi

egov_note "restore OK. Next: egov-manage migrate (if the code is newer), start the services, check /healthz"
