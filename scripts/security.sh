#!/usr/bin/env bash
# Supply chain and static checks (make security; called by .ci/run). Offline-safe:
#  - bandit: fails on any finding not in .ci/bandit-baseline.json (the accepted ones, reviewed in
#    docs/security.md); regenerate the baseline only after reviewing a new finding.
#  - SBOM: CycloneDX JSON of the pinned runtime requirements into var/sbom.cdx.json.
#  - pip-audit: known vulnerabilities in the pinned requirements. It needs the PyPI advisory data;
#    without it every package is "skipped" and this prints NOT_VERIFIED instead of failing (a
#    network outage must not break CI). A reported vulnerability fails.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
mkdir -p var

echo "-- bandit (against .ci/bandit-baseline.json)"
"$VENV/bin/bandit" -q -r qifu -x '*/tests/*,*/migrations/*' -b .ci/bandit-baseline.json

echo "-- SBOM (CycloneDX) → var/sbom.cdx.json"
"$VENV/bin/cyclonedx-py" requirements requirements/base.txt --of JSON -o var/sbom.cdx.json

echo "-- pip-audit"
report=var/pip-audit.json
if timeout 90 "$VENV/bin/pip-audit" -r requirements/base.txt --disable-pip --no-deps \
    --progress-spinner off --timeout 10 -f json -o "$report" 2>var/pip-audit.log; then
  status=0
else
  status=$?
fi
"$VENV/bin/python" - "$report" "$status" <<'PY'
import json, sys
path, status = sys.argv[1], int(sys.argv[2])
try:
    deps = json.load(open(path))["dependencies"]
except (OSError, ValueError, KeyError):
    print(f"pip-audit: NOT_VERIFIED (no report, exit {status}; see var/pip-audit.log)")
    sys.exit(0)
vulnerable = [(d["name"], d["version"], [v["id"] for v in d["vulns"]]) for d in deps if d.get("vulns")]
skipped = [d["name"] for d in deps if d.get("skip_reason")]
for name, version, ids in vulnerable:
    print(f"VULNERABLE {name} {version}: {', '.join(ids)}")
if skipped:
    print(f"pip-audit: NOT_VERIFIED for {len(skipped)} of {len(deps)} packages "
          "(advisory data unreachable); run `make security` where PyPI is reachable")
else:
    print(f"pip-audit: {len(deps)} packages audited")
sys.exit(1 if vulnerable else 0)
PY
