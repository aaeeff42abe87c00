#!/usr/bin/env bash
# Runs NSD as the authoritative server of a generated world, on 127.0.0.1 only.
#
# Sourced by benchmark/run for its functions (nsd_start, nsd_stop, udp_counters), or run on its own to serve a world
# for manual checks with dig, for a bounded time:
#
#   benchmark/nsd.sh WORLD_DIR [--port PORT] [--servers N] [--hold SECONDS]
#
# NSD reads the zone files directly (no nsd.db, no zone file writes, no remote control, no transfers), listens on
# 127.0.0.1:PORT over UDP and TCP, and has response rate limiting switched off (Debian builds it in) so that a load
# test is not throttled.

NSD_PID=""
NSD_DIR=""
NSD_LOAD_SECONDS=""
NSD_PSS_KB=""

# Prints a free port on 127.0.0.1 (free for both UDP and TCP at the time of asking).
free_port() {
    python3 - <<'EOF'
import socket
for _ in range(50):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", 0))
    port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        t.close()
        continue
    u.close()
    t.close()
    print(port)
    break
EOF
}

# Prints "InDatagrams InErrors RcvbufErrors" of the UDP counters of this network namespace (/proc/net/snmp).
udp_counters() {
    awk '/^Udp:/ { getline; print $2, $4, $6; exit }' /proc/net/snmp
}

# Sums the proportional set size (kB) of NSD's processes: the main one and the children it forked.
nsd_pss_kb() {
    local pids pid total=0 pss
    pids="$NSD_PID $(pgrep -P "$NSD_PID" 2>/dev/null | tr '\n' ' ')"
    for pid in $pids; do
        pss=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
        total=$((total + ${pss:-0}))
    done
    echo "$total"
}

# nsd_start WORLD_DIR PORT SERVERS [LOAD_TIMEOUT_SECONDS]
# Starts NSD in the background and waits (bounded) until it answers authoritatively for the world's last site.
# Sets NSD_PID, NSD_DIR, NSD_LOAD_SECONDS and NSD_PSS_KB.
nsd_start() {
    local world port servers limit
    world="$(cd "$1" && pwd)"
    port="$2"
    servers="${3:-1}"
    limit="${4:-900}"
    if ! command -v nsd >/dev/null; then
        echo "nsd.sh: nsd is missing: apt-get install -y nsd" >&2
        return 1
    fi
    if [[ ! -f "$world/zones.conf" || ! -f "$world/targets.txt" ]]; then
        echo "nsd.sh: $world is not a generated world (no zones.conf or targets.txt)" >&2
        return 1
    fi
    NSD_DIR="$(mktemp -d /tmp/chokepoint-bench-nsd.XXXXXX)"
    cat >"$NSD_DIR/nsd.conf" <<EOF
server:
	ip-address: 127.0.0.1@$port
	port: $port
	do-ip4: yes
	do-ip6: no
	server-count: $servers
	reuseport: no
	database: ""
	zonesdir: "$world/zones"
	zonelistfile: "$NSD_DIR/zone.list"
	xfrdfile: "$NSD_DIR/xfrd.state"
	pidfile: "$NSD_DIR/nsd.pid"
	logfile: "$NSD_DIR/nsd.log"
	username: ""
	chroot: ""
	zonefiles-check: no
	zonefiles-write: 0
	hide-version: yes
	refuse-any: yes
	verbosity: 1
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
remote-control:
	control-enable: no
include: "$world/zones.conf"
EOF
    if ! nsd-checkconf "$NSD_DIR/nsd.conf"; then
        echo "nsd.sh: nsd-checkconf rejected $NSD_DIR/nsd.conf" >&2
        return 1
    fi
    local first last started now
    first="$(head -n 1 "$world/targets.txt")"
    last="$(tail -n 1 "$world/targets.txt")"
    started=$(date +%s.%N)
    nsd -d -c "$NSD_DIR/nsd.conf" >>"$NSD_DIR/nsd.log" 2>&1 9>&- &
    NSD_PID=$!
    local deadline=$(( $(date +%s) + limit ))
    while true; do
        if ! kill -0 "$NSD_PID" 2>/dev/null; then
            echo "nsd.sh: nsd exited while loading; its log:" >&2
            tail -n 20 "$NSD_DIR/nsd.log" >&2
            NSD_PID=""
            return 1
        fi
        if dig +time=1 +tries=1 +norecurse -p "$port" @127.0.0.1 "$last" SOA 2>/dev/null |
            grep -q 'status: NOERROR.*' &&
            dig +time=1 +tries=1 +norecurse -p "$port" @127.0.0.1 "$first" SOA 2>/dev/null |
            grep -q 'flags: qr aa'; then
            break
        fi
        if (( $(date +%s) >= deadline )); then
            echo "nsd.sh: nsd did not answer for $last within ${limit}s" >&2
            nsd_stop
            return 1
        fi
        sleep 0.2
    done
    now=$(date +%s.%N)
    NSD_LOAD_SECONDS=$(awk -v a="$started" -v b="$now" 'BEGIN { printf "%.1f", b - a }')
    NSD_PSS_KB=$(nsd_pss_kb)
    if grep -qiE 'error|failed' "$NSD_DIR/nsd.log"; then
        echo "nsd.sh: nsd reported errors while loading (see $NSD_DIR/nsd.log):" >&2
        grep -iE 'error|failed' "$NSD_DIR/nsd.log" | head -n 5 >&2
    fi
}

# Stops the NSD started by nsd_start (by its process id), waiting a bounded time for it to exit.
nsd_stop() {
    if [[ -n "$NSD_PID" ]] && kill -0 "$NSD_PID" 2>/dev/null; then
        kill -TERM "$NSD_PID" 2>/dev/null || true
        local i
        for i in $(seq 1 100); do
            kill -0 "$NSD_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$NSD_PID" 2>/dev/null; then
            kill -KILL "$NSD_PID" 2>/dev/null || true
        fi
        wait "$NSD_PID" 2>/dev/null || true
    fi
    NSD_PID=""
    if [[ -n "$NSD_DIR" && -d "$NSD_DIR" ]]; then
        rm -rf "$NSD_DIR"
    fi
    NSD_DIR=""
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    usage() {
        echo "usage: benchmark/nsd.sh WORLD_DIR [--port PORT] [--servers N] [--hold SECONDS]" >&2
        exit 2
    }
    [[ $# -ge 1 ]] || usage
    world="$1"
    shift
    port=""
    servers=1
    hold=600
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --port) port="$2"; shift 2 ;;
            --servers) servers="$2"; shift 2 ;;
            --hold) hold="$2"; shift 2 ;;
            *) usage ;;
        esac
    done
    [[ -n "$port" ]] || port="$(free_port)"
    trap nsd_stop EXIT
    trap 'exit 130' INT TERM
    nsd_start "$world" "$port" "$servers"
    echo "nsd: serving $(grep -c . "$world/targets.txt") sites of $world on 127.0.0.1:$port" \
        "(loaded in ${NSD_LOAD_SECONDS}s, ${NSD_PSS_KB} kB PSS); stops in ${hold}s or on Ctrl-C"
    echo "try: dig -p $port @127.0.0.1 $(head -n 1 "$world/targets.txt") SOA"
    sleep "$hold" &
    wait $! || true
fi
