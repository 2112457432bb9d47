#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster in a temp dir, listening on 127.0.0.1 only, and print its
# SQLAlchemy URL on stdout (for STORYBRIEF_TEST_PG). As root, the server runs as the `postgres` user
# (initdb refuses root). Exit 3 when no PostgreSQL server binaries are installed.
#
#   export STORYBRIEF_TEST_PG=$(ci/start_pg.sh)      # then run the tests
#   ci/start_pg.sh --stop "$STORYBRIEF_TEST_PG"       # stops that cluster and deletes it
set -euo pipefail

if [ "${1:-}" = "--stop" ]; then
    port=$(echo "${2:?usage: start_pg.sh --stop URL}" | sed -n 's/.*:\([0-9][0-9]*\)\/.*/\1/p')
    for data in /tmp/storybrief-pg.*/data; do
        [ -d "$data" ] && [ "$(cat "$data/../port" 2>/dev/null)" = "$port" ] || continue
        owner=$(stat -c %U "$data")
        bin=$(cat "$data/../bin")
        if [ "$(id -u)" = 0 ]; then runuser -u "$owner" -- "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null || true
        else "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null || true; fi
        rm -rf "$(dirname "$data")"
    done
    exit 0
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "start_pg: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 3
fi
dir=$(mktemp -d /tmp/storybrief-pg.XXXXXX)
echo "$bin" > "$dir/bin"
as=()
if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    as=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "$port" > "$dir/port"
"${as[@]}" "$bin/initdb" -D "$dir/data" -U storybrief --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { echo "start_pg: initdb failed, see $dir/initdb.log" >&2; exit 1; }
# fsync off: a test cluster thrown away after the run needs no crash safety.
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/data -c fsync=off -c max_connections=200" start >/dev/null \
    || { echo "start_pg: the server did not start, see $dir/data/server.log" >&2; exit 1; }
"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U storybrief storybrief_test
echo "postgresql+psycopg://storybrief@127.0.0.1:$port/storybrief_test"
