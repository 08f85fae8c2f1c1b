#!/usr/bin/env bash
# End-to-end throughput of the walking skeleton, with a baseline from the same run.
#   baseline: the simulator publishing QoS 1 to a plain Mosquitto (no persistence, nothing behind it):
#             the most this load source can push through an MQTT broker on this machine.
#   module:   the same simulator inside the module (--simulate): MQTT listener, group commit (fsync),
#             Map, Persist, NDJSON sink. Counted as Observation lines written per second.
# Usage: bench/e2e-throughput.sh [devices] [interval-ms] [seconds]
set -euo pipefail
# Background jobs of a non-interactive shell start with SIGINT ignored, so stop them with SIGTERM.
cd "$(dirname "$0")/.."
devices=${1:-64}; interval=${2:-1}; seconds=${3:-30}
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build modules/MedTechEdge -c Release -v q -nologo >/dev/null
dotnet build modules/DeviceSimulator -c Release -v q -nologo >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 0\nmax_queued_messages 100000\n' "$port" > "$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >/dev/null 2>&1 & broker=$!
sleep 1
dotnet modules/DeviceSimulator/bin/Release/net10.0/DeviceSimulator.dll --host 127.0.0.1 --port "$port" --devices "$devices" --interval-ms "$interval" > "$work/sim.log" 2>&1 & sim=$!
sleep 12; a=$(grep -o 'acknowledged [0-9]*' "$work/sim.log" | tail -1 | awk '{print $2}'); a=${a:-0}
sleep "$seconds"; b=$(grep -o 'acknowledged [0-9]*' "$work/sim.log" | tail -1 | awk '{print $2}')
kill -TERM $sim; wait $sim 2>/dev/null || true; kill $broker; wait $broker 2>/dev/null || true
# The simulator prints every 10 s: samples at 12 s and 12+N s read the prints at 10 s and 10+N s (N a multiple of 10).
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$work/module" && cd "$work/module"
dotnet "$OLDPWD/modules/MedTechEdge/bin/Release/net10.0/MedTechEdge.dll" --simulate --MedTechEdge:Mqtt:Port=0 \
  --MedTechEdge:Simulator:Devices="$devices" --MedTechEdge:Simulator:IntervalMs="$interval" --Logging:LogLevel:Default=Warning > run.log 2>&1 & module=$!
sleep 10; c=$(wc -l < data/fhir/Observation.ndjson)
sleep "$seconds"; d=$(wc -l < data/fhir/Observation.ndjson)
kill -TERM $module; wait $module 2>/dev/null || true
backlog=$(python3 -c "import sqlite3; c=sqlite3.connect('data/medtechedge.db'); print(c.execute('select count(*) from inbox').fetchone()[0] + c.execute('select count(*) from outbox').fetchone()[0])")
cd - >/dev/null
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$a" "$b" "$c" "$d" "$seconds" "$backlog" "$devices" "$interval" <<'PY'
import sys
a, b, c, d, secs, backlog, devices, interval = (int(x) for x in sys.argv[1:])
base = (b - a) / secs
mod = (d - c) / secs
print(f"devices={devices} interval={interval}ms window={secs}s")
print(f"baseline (simulator -> Mosquitto, no persistence): {base:,.0f} acknowledged msgs/s")
print(f"module end to end (simulator -> listener -> SQLite -> Map -> Persist -> NDJSON): {mod:,.0f} Observations/s")
print(f"ratio module/baseline: {mod / base:.2f}   backlog left in the store at stop: {backlog}")
PY
