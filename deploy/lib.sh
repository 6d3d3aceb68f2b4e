# shellcheck shell=bash
# Helpers shared by backup.sh, restore.sh and egov-manage (sourced, never run).
#
#   egov_die MESSAGE            print to stderr and exit 1
#   egov_load_env_file FILE     export the KEY=VALUE lines of a systemd EnvironmentFile; they
#                               replace variables of the calling shell (the file is what the
#                               services use; `--env-file /dev/null` uses the shell's only)
#   egov_parse_database_url URL set DB_USER DB_PASSWORD DB_HOST DB_PORT DB_NAME DB_SSLMODE
#   egov_libpq_env              export PGHOST PGPORT PGUSER PGPASSWORD (PGSSLMODE) from those
#
# The password never goes on a command line (visible in `ps`): libpq reads PGPASSWORD.

egov_die() {
  printf '%s: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

egov_note() {
  printf '%s: %s\n' "${0##*/}" "$*"
}

# The systemd EnvironmentFile format: KEY=VALUE, one a line, `#` or `;` comments, an
# optional pair of quotes around the whole value.  Never `source`d: values may hold spaces,
# `<`, `$` (DEFAULT_FROM_EMAIL="Chính quyền số <no-reply@…>", passwords).
egov_load_env_file() {
  local file=$1 line key value
  [[ -r $file ]] || egov_die "cannot read the environment file $file"
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line#"${line%%[![:space:]]*}"}
    [[ -z $line || $line == \#* || $line == \;* ]] && continue
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    value=${value%"${value##*[![:space:]]}"}
    if ((${#value} >= 2)) && [[ $value == \"*\" || $value == \'*\' ]]; then
      value=${value:1:${#value}-2}
    fi
    export "$key=$value"
  done <"$file"
}

_egov_urldecode() {
  local encoded=${1//\\/\\\\}
  printf '%b' "${encoded//%/\\x}"
}

# postgres://user:password@host:port/name?sslmode=require (also postgresql://, pgsql://,
# psql://, postgis:// as django-environ accepts; a percent-encoded host such as
# %2Fvar%2Frun%2Fpostgresql is a Unix socket folder).
egov_parse_database_url() {
  local url=$1 rest userinfo hostport query param
  [[ $url =~ ^(postgres|postgresql|pgsql|psql|postgis)://(.*)$ ]] ||
    egov_die "DATABASE_URL is not a PostgreSQL address (postgres://user:password@host:port/name); backups need PostgreSQL"
  rest=${BASH_REMATCH[2]}
  query=""
  if [[ $rest == *\?* ]]; then
    query=${rest#*\?}
    rest=${rest%%\?*}
  fi
  DB_NAME=""
  if [[ $rest == */* ]]; then
    DB_NAME=$(_egov_urldecode "${rest#*/}")
    rest=${rest%%/*}
  fi
  [[ -n $DB_NAME ]] || egov_die "DATABASE_URL names no database"
  DB_USER="" DB_PASSWORD=""
  if [[ $rest == *@* ]]; then
    userinfo=${rest%@*}
    hostport=${rest##*@}
    if [[ $userinfo == *:* ]]; then
      DB_PASSWORD=$(_egov_urldecode "${userinfo#*:}")
      userinfo=${userinfo%%:*}
    fi
    DB_USER=$(_egov_urldecode "$userinfo")
  else
    hostport=$rest
  fi
  DB_PORT=""
  if [[ $hostport =~ ^\[([0-9A-Fa-f:.]+)\](:([0-9]+))?$ ]]; then
    DB_HOST=${BASH_REMATCH[1]}
    DB_PORT=${BASH_REMATCH[3]}
  elif [[ $hostport =~ ^([^:]*)(:([0-9]+))?$ ]]; then
    DB_HOST=$(_egov_urldecode "${BASH_REMATCH[1]}")
    DB_PORT=${BASH_REMATCH[3]}
  else
    egov_die "cannot read the host and port of DATABASE_URL"
  fi
  DB_PORT=${DB_PORT:-5432}
  DB_SSLMODE=""
  local IFS='&'
  for param in $query; do
    case $param in
      sslmode=*) DB_SSLMODE=${param#sslmode=} ;;
      host=*) DB_HOST=$(_egov_urldecode "${param#host=}") ;;
    esac
  done
  export DB_USER DB_PASSWORD DB_HOST DB_PORT DB_NAME DB_SSLMODE
}

egov_libpq_env() {
  unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE PGSERVICE
  [[ -n $DB_HOST ]] && export PGHOST=$DB_HOST
  export PGPORT=$DB_PORT
  [[ -n $DB_USER ]] && export PGUSER=$DB_USER
  [[ -n $DB_PASSWORD ]] && export PGPASSWORD=$DB_PASSWORD
  [[ -n $DB_SSLMODE ]] && export PGSSLMODE=$DB_SSLMODE
  return 0
}

egov_require_commands() {
  local command
  for command in "$@"; do
    command -v "$command" >/dev/null 2>&1 || egov_die "the command '$command' is missing"
  done
}
