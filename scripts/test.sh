#!/usr/bin/env bash
# Runs every HcmCity test against the real services, which it installs and starts first if they are missing
# (PostgreSQL+PostGIS, Redis, mosquitto, InfluxDB on 127.0.0.1; see scripts/services.sh).
# Ends with one line "N passed, N failed" (N skipped where any were).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh start
eval "$(bash scripts/services.sh env)"

dotnet build HcmCity.sln -c Release -nologo -clp:ErrorsOnly

results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
set +e
# Every test assembly's summary is counted from dotnet test's own totals: the CTRF reports (kept as artefacts) are
# named by user, host and time, so two assemblies finishing in the same microsecond overwrite each other's file.
dotnet test --solution HcmCity.sln -c Release --no-build --results-directory "$results" --report-ctrf "$@" 2>&1 |
  tee "$results/dotnet-test.log"
code=${PIPESTATUS[0]}
set -e

summary_count() { grep -o "^  $1: [0-9]*" "$results/dotnet-test.log" | tail -n 1 | awk '{print $2}'; }
passed=$(summary_count succeeded) failed=$(summary_count failed) skipped=$(summary_count skipped)
reports=$(grep -c '^  total: [0-9]' "$results/dotnet-test.log" || true)
passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
# The web map's own unit tests (node --test, no packages beyond maps/package.json).
set +e
map_output=$(cd maps && npm test 2>&1)
map_code=$?
set -e
echo "$map_output" | tail -n 12
map_passed=$(grep -o '^# pass [0-9]*' <<<"$map_output" | awk '{print $3}')
map_failed=$(grep -o '^# fail [0-9]*' <<<"$map_output" | awk '{print $3}')
passed=$((passed + ${map_passed:-0})) failed=$((failed + ${map_failed:-0}))
if [ "$map_code" -ne 0 ] && [ "${map_failed:-0}" -eq 0 ]; then
  failed=$((failed + 1))
fi

if [ "$reports" -eq 0 ]; then
  echo "dotnet test printed no summary" >&2
  failed=$((failed + 1))
fi
if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed writes no failures into its report: count the run as failed.
  failed=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
