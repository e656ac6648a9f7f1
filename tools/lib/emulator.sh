# shellcheck shell=bash
# Sourced by scripts that run photosync against the bundled Google Photos API
# emulator (tools/demo, tests/conformance/run-gphotos-conformance).
# (bench/gphotos_bench.py does the same in Python: its Emulator class.)
#
#   start_emulator EMULATOR_BIN DIR [emulator flags...]
#
# Starts it on loopback (HTTPS, a free port, its own CA) with its files in
# DIR: emulator.json (the info file), ca.pem, client_secret.json and
# emulator.log. Sets emulator_pid and emulator_url; stop_emulator stops it.
# Returns 1, with the emulator's log on stderr, if it is not up within 10 s.
start_emulator() {
    local bin=$1 dir=$2
    shift 2
    rm -f "$dir/emulator.json"  # a stale one (an earlier run in DIR) would be read at once
    "$bin" --port 0 --info-file "$dir/emulator.json" --ca-file "$dir/ca.pem" \
        --client-secret-file "$dir/client_secret.json" "$@" >"$dir/emulator.log" 2>&1 &
    emulator_pid=$!
    emulator_url=
    for _ in $(seq 200); do
        [[ -s $dir/emulator.json ]] && break
        kill -0 "$emulator_pid" 2>/dev/null || break
        sleep 0.05
    done
    if [[ -s $dir/emulator.json ]]; then
        emulator_url=$(sed -n 's/.*"https_url": *"\([^"]*\)".*/\1/p' "$dir/emulator.json")
    fi
    if [[ -z $emulator_url ]]; then
        cat "$dir/emulator.log" >&2
        return 1
    fi
}

stop_emulator() {
    if [[ -n ${emulator_pid:-} ]]; then
        { kill "$emulator_pid" && wait "$emulator_pid"; } 2>/dev/null || true
        emulator_pid=
    fi
    return 0
}
