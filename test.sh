#!/usr/bin/env bash
# Builds MedTechEdge and runs the whole test suite against real peers.
# Installs what the tests need when it is missing: Debian's mosquitto, mosquitto-clients and chromium (apt-get),
# and the npm packages of the FHIR test peer, the IoT SDK oracle and the Event Hubs SDK referee (npm ci, from the
# committed package-lock.json).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ] || ! command -v mosquitto_pub >/dev/null 2>&1; then
  echo "test.sh: installing mosquitto and mosquitto-clients"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients >/dev/null
fi
# The dashboard test drives Debian's headless Chromium through Playwright's bundled driver; no browser is downloaded.
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing chromium"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# The Debian package may start a system broker on 1883; the tests start their own on free ports,
# and the module's default listener wants 1883, so stop the system one.
if command -v systemctl >/dev/null 2>&1; then as_root systemctl stop mosquitto >/dev/null 2>&1 || true; fi
pkill -f '^/usr/sbin/mosquitto -c /etc/mosquitto/mosquitto.conf' >/dev/null 2>&1 || true

if ! command -v node >/dev/null 2>&1; then
  echo "test.sh: node (20.19 or later) is required for the FHIR test peer" >&2
  exit 1
fi
# The FHIR test peer (Medplum's fhir-router) and the IoT SDK oracle (Microsoft's Node module client), each from its
# committed package-lock.json.
for peer in tests/peers/fhir-server tests/peers/iot-sdk tests/peers/eventhubs-sdk tests/peers/azurite; do
  if [ ! -f "$peer/node_modules/.package-lock.json" ] || [ "$peer/package-lock.json" -nt "$peer/node_modules/.package-lock.json" ]; then
    echo "test.sh: installing the test peer in $peer (npm ci)"
    (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

dotnet build MedTechEdge.sln -c Release -nologo -v q

results=$(mktemp -d)
status=0
# Each test process appends how many FHIR resources Firely checked (tests/MedTechEdge.TestPeers/FhirResourceAssert.cs).
export MEDTECHEDGE_FHIR_CHECK_LOG="$results/fhir-checks.log"
dotnet test MedTechEdge.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=840000 || status=$?

# The tests that run the module as a process, once more against the module as the images publish it: self-contained
# and trimmed (the project file's TrimMode=partial; 0.89x the resident set, docs/benchmarks.md "3. Memory"), run with
# the images' runtime settings (tests/MedTechEdge.Tests/ModuleBuild.cs). What trimming breaks (reflection over
# removed code) shows only at run time. Without ReadyToRun, which does not change behaviour and would double the publish.
trimmed=$(mktemp -d)
process_tests="FullyQualifiedName~MedTechEdge.Tests.EndToEnd|FullyQualifiedName~MedTechEdge.Tests.Tools|FullyQualifiedName~StartupFailureTests|FullyQualifiedName~UnconvertibleSettingTests|FullyQualifiedName~CommandLineTests|FullyQualifiedName~Event_Hubs_Sdk_Load_Tests|FullyQualifiedName~Twin_Layer_Start_Tests|FullyQualifiedName~Under_The_Runtime_Tests|FullyQualifiedName~Dashboard_Process_Tests|FullyQualifiedName~Unused_Assembly_Load_Tests"
if dotnet publish modules/MedTechEdge/MedTechEdge.csproj -c Release -r linux-x64 -p:SelfContained=true \
     -p:PublishTrimmed=true -p:PublishReadyToRun=false -o "$trimmed" -nologo -v q >"$results/trimmed-publish.log" 2>&1; then
  MEDTECHEDGE_MODULE="$trimmed/MedTechEdge" dotnet test tests/MedTechEdge.Tests/MedTechEdge.Tests.csproj -c Release --no-build -nologo \
    --filter "$process_tests" --logger "trx;LogFileName=trimmed-module.trx" --results-directory "$results" || status=$?
else
  echo "test.sh: the trimmed publish failed:" >&2
  tail -20 "$results/trimmed-publish.log" >&2
  status=1
fi
rm -rf "$trimmed"

# One closing line for the whole run, summed over every test assembly's TRX report.
python3 - "$results" <<'PY' || true
import sys, glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
run_errors = []
for path in glob.glob(sys.argv[1] + "/*.trx"):
    summary = ET.parse(path).getroot().find("t:ResultSummary", ns)
    # Errors outside any test, such as a collection fixture that fails at disposal (the FHIR peer's Firely check).
    run_errors += [i.findtext("t:Text", "", ns) for i in summary.findall("t:RunInfos/t:RunInfo[@outcome='Error']", ns)]
    c = summary.find("t:Counters", ns)
    if c is None:
        continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped" + (f", {len(run_errors)} run errors:" if run_errors else ""))
for text in run_errors:
    print("  " + text)
checked = invalid = 0
try:
    with open(sys.argv[1] + "/fhir-checks.log") as log:
        for line in log:
            fields = line.split()
            checked += int(fields[0]); invalid += int(fields[1])
except FileNotFoundError:
    pass
# The rejected ones are the negative tests' deliberately broken resources; any other fails its test or the run.
print(f"fhir: {checked} resources checked by Firely (strict parse + validation), {invalid} rejected")
PY
rm -rf "$results"
exit $status
