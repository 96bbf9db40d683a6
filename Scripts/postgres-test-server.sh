#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store's tests (docs/store.md, "Tests"):
# a new cluster in a fresh temporary folder, run by a user that is not root,
# listening on 127.0.0.1 only, on a free port, with password authentication
# (scram-sha-256) for the role `gongji`, whose password is new each start and
# kept only in the folder's pgpass file.
#
#   eval "$(Scripts/postgres-test-server.sh start)"   # prints the exports below
#   swift test                                        # runs the PostgreSQL tests too
#   Scripts/postgres-test-server.sh stop              # stops it, removes the folder
#
# `start` prints, for `eval`:
#   export GONGJI_TEST_POSTGRES=postgresql://gongji@127.0.0.1:PORT/gongji_test
#   export PGPASSFILE=FOLDER/pgpass            (libpq reads the password there)
#   export GONGJI_TEST_POSTGRES_DIR=FOLDER     (what `stop` stops)
# `stop [FOLDER]` stops the server of FOLDER (default $GONGJI_TEST_POSTGRES_DIR).
#
# Needs Debian's postgresql package (initdb, pg_ctl); as root the server runs
# as the `postgres` user the package makes.
set -euo pipefail

bindir() {
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    fi
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || { echo "postgres-test-server: no initdb (apt-get install postgresql)" >&2; exit 2; }
    echo "$dir"
}

# Runs a command as the server's user: `postgres` when we are root.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local bin dir port password
    bin=$(bindir)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/gongji-postgres.XXXXXX")
    chmod 755 "$dir"
    # A start that fails leaves nothing behind.
    trap 'as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
    mkdir "$dir/data" "$dir/run"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "postgres-test-server: no postgres user (apt-get install postgresql)" >&2; exit 2; }
        chown postgres "$dir/data" "$dir/run"
    fi
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    # initdb reads the superuser's password from a file only its user can read.
    (umask 077; echo "$password" > "$dir/data.password")
    [ "$(id -u)" = 0 ] && chown postgres "$dir/data.password"
    as_owner "$bin/initdb" -D "$dir/data" -U gongji --pwfile="$dir/data.password" --auth=scram-sha-256 \
        --encoding=UTF8 --locale=C > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/data.password"
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/run/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/run -c fsync=off -c max_connections=60" start > /dev/null \
        || { cat "$dir/run/server.log" >&2; exit 1; }
    (umask 077; echo "127.0.0.1:$port:*:gongji:$password" > "$dir/pgpass")
    PGPASSFILE="$dir/pgpass" "$bin/createdb" -h 127.0.0.1 -p "$port" -U gongji gongji_test
    trap - EXIT
    echo "export GONGJI_TEST_POSTGRES=postgresql://gongji@127.0.0.1:$port/gongji_test"
    echo "export PGPASSFILE=$dir/pgpass"
    echo "export GONGJI_TEST_POSTGRES_DIR=$dir"
}

stop() {
    local dir=${1:-${GONGJI_TEST_POSTGRES_DIR:-}}
    [ -n "$dir" ] || { echo "usage: Scripts/postgres-test-server.sh stop FOLDER (or set GONGJI_TEST_POSTGRES_DIR)" >&2; exit 2; }
    case "$dir" in */gongji-postgres.*) ;; *) echo "postgres-test-server: $dir is not a folder it made" >&2; exit 2;; esac
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: Scripts/postgres-test-server.sh start | stop [FOLDER]" >&2; exit 2 ;;
esac
