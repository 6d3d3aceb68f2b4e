#!/bin/sh
# The read replica: on its first start, a base backup of the primary (pg_basebackup -R
# writes standby.signal and primary_conninfo), then the image's own entrypoint starts it as
# a hot standby.  A replication slot keeps the WAL it still needs (capped on the primary by
# max_slot_wal_keep_size).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready --host="$PRIMARY_HOST" --username=replicator --quiet; do sleep 2; done
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
    gosu postgres env PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" pg_basebackup \
        --host="$PRIMARY_HOST" --username=replicator --pgdata="$PGDATA" \
        --wal-method=stream --write-recovery-conf \
        --create-slot --slot="${REPLICATION_SLOT:-egov_replica}" --progress
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
