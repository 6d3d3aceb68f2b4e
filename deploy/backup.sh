#!/usr/bin/env bash
# Back up the database and the uploaded files into one dated folder.
#
#   backup.sh [--env-file /etc/egov/egov.env] [--dest /var/backups/egov] [--keep-days 14]
#
# Reads DATABASE_URL, EGOV_STORAGE and EGOV_MEDIA_ROOT from the environment file (its values
# replace the calling shell's; `--env-file /dev/null` takes them from the shell), and
# EGOV_BACKUP_DIR / EGOV_BACKUP_KEEP_DAYS when the options are not given.  Writes DEST/egov-YYYYMMDDTHHMMSSZ/ with
#
#   database.dump   pg_dump --format=custom (restore with restore.sh or pg_restore)
#   media.tar       the media folder (modes and owners kept; not compressed: PDFs, JPEGs
#                   and office files are compressed already)
#   media.sha256    SHA-256 of every file in media.tar, paths relative to the media folder
#   backup.info     when, from where, which code revision, sizes
#   SHA256SUMS      SHA-256 of the four files above (restore.sh checks it first)
#
# The database is dumped before the files are read: a file is written before the row that
# points to it is committed, and attachments are never removed, so every file a dumped row
# names is in the archive.  The folder appears under its final name only when complete;
# folders older than --keep-days are then removed.  Any failure exits non-zero and leaves
# no partial folder behind.  Run as the `egov` user (egov-backup.service) or as root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

usage() {
  sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

env_file=/etc/egov/egov.env
env_file_given=false
dest="" keep_days=""
while (($#)); do
  case $1 in
    --env-file) env_file=${2:?--env-file needs a path}; env_file_given=true; shift 2 ;;
    --dest) dest=${2:?--dest needs a folder}; shift 2 ;;
    --keep-days) keep_days=${2:?--keep-days needs a number}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; egov_die "unknown argument: $1" ;;
  esac
done

if [[ -e $env_file ]]; then
  egov_load_env_file "$env_file"
elif $env_file_given; then
  egov_die "no environment file at $env_file"
fi
dest=${dest:-${EGOV_BACKUP_DIR:-/var/backups/egov}}
keep_days=${keep_days:-${EGOV_BACKUP_KEEP_DAYS:-14}}
[[ $keep_days =~ ^[1-9][0-9]*$ ]] || egov_die "--keep-days must be a whole number of days (1 or more)"
[[ -n ${DATABASE_URL:-} ]] || egov_die "DATABASE_URL is not set (in $env_file or the environment)"
storage=${EGOV_STORAGE:-local}
media_root=${EGOV_MEDIA_ROOT:-$(dirname "$here")/var/media}
media_root=${media_root%/}

egov_require_commands pg_dump pg_restore tar sha256sum flock find sort xargs
egov_parse_database_url "$DATABASE_URL"
egov_libpq_env

umask 077 # the dump holds personal data: readable by the backup's owner only
mkdir -p "$dest"
exec 9>"$dest/.lock"
flock --nonblock 9 || egov_die "another backup is writing to $dest"

name="egov-$(date -u +%Y%m%dT%H%M%SZ)"
work="$dest/.$name.partial"
[[ ! -e $dest/$name ]] || egov_die "$dest/$name exists already"
cleanup() {
  local status=$?
  if [[ -n ${work:-} && -d $work ]]; then
    rm -rf -- "$work"
  fi
  if ((status != 0)); then
    printf '%s: backup FAILED (exit %d); nothing was kept\n' "${0##*/}" "$status" >&2
  fi
}
trap cleanup EXIT
mkdir "$work"
started=$(date +%s)

# 1. The database, in one consistent snapshot; then make sure the archive reads back.
pg_dump --no-password --format=custom --file="$work/database.dump" "$DB_NAME"
pg_restore --list "$work/database.dump" >/dev/null

# 2. The uploaded files: exactly the folders and files listed, with their checksums.
media_files=0
media_state="none"
if [[ $storage == local ]]; then
  [[ -d $media_root ]] || egov_die "the media folder $media_root does not exist (EGOV_MEDIA_ROOT)"
  # One listing of the files serves both the archive and the checksums (folders are listed
  # too, so that their modes come back: attachments/ is closed to the web server).
  (cd "$media_root" && find . -type d -print0 | LC_ALL=C sort -z) >"$work/dirs.list"
  (cd "$media_root" && find . -type f -print0 | LC_ALL=C sort -z) >"$work/files.list"
  cat "$work/dirs.list" "$work/files.list" >"$work/media.list"
  tar --create --file="$work/media.tar" --directory="$media_root" \
    --no-recursion --null --files-from="$work/media.list"
  (cd "$media_root" && xargs -0 -r -a "$work/files.list" sha256sum --) >"$work/media.sha256"
  rm -f -- "$work/dirs.list" "$work/files.list" "$work/media.list"
  tar --list --file="$work/media.tar" >/dev/null
  media_files=$(wc -l <"$work/media.sha256")
  media_state="included"
else
  egov_note "EGOV_STORAGE=$storage: the files live in object storage (use its versioning and replication); only the database is backed up"
  : >"$work/media.sha256"
  tar --create --file="$work/media.tar" --files-from=/dev/null
  media_state="not included (EGOV_STORAGE=$storage)"
fi

# 3. What this is, and the checksums of everything.
app_dir=$(dirname "$here")
revision=$(git -c safe.directory="$app_dir" -C "$app_dir" rev-parse HEAD 2>/dev/null || echo unknown)
{
  echo "created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host=$(hostname)"
  echo "database=$DB_NAME"
  echo "pg_dump=$(pg_dump --version)"
  echo "code_revision=$revision"
  echo "media_root=$media_root"
  echo "media=$media_state"
  echo "media_files=$media_files"
  echo "database_bytes=$(stat -c %s "$work/database.dump")"
  echo "media_bytes=$(stat -c %s "$work/media.tar")"
} >"$work/backup.info"
(cd "$work" && sha256sum database.dump media.tar media.sha256 backup.info >SHA256SUMS)

mv -- "$work" "$dest/$name"
work=""

# 4. Retention: dated folders older than keep_days (never the one just written).
find "$dest" -mindepth 1 -maxdepth 1 -type d -name 'egov-[0-9]*T[0-9]*Z' \
  ! -name "$name" -mmin +$((keep_days * 1440)) -print0 | xargs -0 -r rm -rf --
find "$dest" -mindepth 1 -maxdepth 1 -type d -name '.egov-*.partial' -mmin +1440 -print0 |
  xargs -0 -r rm -rf --

egov_note "backup OK: $dest/$name (database $(du -h "$dest/$name/database.dump" | cut -f1), $media_files files $(du -h "$dest/$name/media.tar" | cut -f1), $(($(date +%s) - started)) s)"
