#!/usr/bin/env bash
# deploy/spinfer.def checked without Apptainer: every stage bootstraps from a pinned Debian 12
# image, a build and a runtime stage, %post/%runscript present, nothing fetched outside apt,
# lean apt use, Open MPI set for containers, %files sources that exist, and runtime packages
# that provide every shared library of the binary built here.
# Usage: lint_apptainer.sh SPINFER (the built binary)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
packages=$(/usr/bin/python3 - "$root" <<'PY'
import os, re, sys

root = sys.argv[1]
failures = []
def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)

stages = []  # {"header": {key: value}, "sections": {"%name args": [lines]}}
section = None
for raw in open(os.path.join(root, "deploy/spinfer.def")).read().splitlines():
    line = raw.strip()
    header = re.fullmatch(r"(Bootstrap|From|Stage):\s*(\S+)", line)
    if header and header.group(1) == "Bootstrap":
        stages.append({"header": {}, "sections": {}})
        section = None
    if header and stages:
        stages[-1]["header"][header.group(1)] = header.group(2)
    elif line.startswith("%") and stages:
        section = line
        stages[-1]["sections"][section] = []
    elif section and line and not line.startswith("#"):
        stages[-1]["sections"][section].append(line)

check(len(stages) >= 2, f"multi-stage: {[s['header'].get('Stage') for s in stages]}")
for s in stages:
    h = s["header"]
    check(h.get("Bootstrap") == "docker", f"stage {h.get('Stage')}: Bootstrap: docker")
    check(re.fullmatch(r"debian:12(\.\d+)?(-slim)?(@sha256:[0-9a-f]{64})?", h.get("From", ""))
          is not None, f"stage {h.get('Stage')}: From: {h.get('From')} is Debian 12, pinned")
    check("%post" in s["sections"], f"stage {h.get('Stage')}: %post present")
    post = " ".join(s["sections"].get("%post", [])).replace("\\ ", " ")
    check(re.search(r"\b(curl|wget)\b|https?://", post) is None,
          f"stage {h.get('Stage')}: no downloads outside apt in %post")
    if "apt-get install" in post:
        check("--no-install-recommends" in post and re.search(r"apt-get install[^;]*\s-y\b", post),
              f"stage {h.get('Stage')}: apt-get install -y --no-install-recommends")
        check("rm -rf /var/lib/apt/lists/*" in post,
              f"stage {h.get('Stage')}: rm -rf /var/lib/apt/lists/* after installing")
    for name, lines in s["sections"].items():
        if name == "%files":
            for entry in lines:
                source = entry.split()[0]
                check(os.path.exists(os.path.join(root, source)), f"%files source {source} exists")

final = stages[-1]["sections"] if stages else {}
build = stages[0]["header"].get("Stage") if stages else None
check(f"%files from {build}" in final, f"final stage copies from the build stage ({build})")
check(any("spinfer" in l and '"$@"' in l for l in final.get("%runscript", [])),
      "%runscript runs spinfer with the arguments")
check(any("OMPI_MCA_btl_vader_single_copy_mechanism=none" in l for l in final.get("%environment", [])),
      "%environment sets OMPI_MCA_btl_vader_single_copy_mechanism=none")
post = " ".join(final.get("%post", [])).replace("\\ ", " ")
words = post.split("apt-get install", 1)[-1].split(" rm ")[0].split()
print("PACKAGES " + " ".join(w for w in words if not w.startswith("-")))
sys.exit(1 if failures else 0)
PY
)
status=$?
grep -v '^PACKAGES ' <<< "$packages"
[ "$status" -eq 0 ] || { echo "FAIL deploy/spinfer.def"; exit 1; }
read -r -a runtime <<< "$(sed -n 's/^PACKAGES //p' <<< "$packages")"
/usr/bin/python3 "$here/runtime_packages.py" "$1" "${runtime[@]}" || exit 1
echo "passed"
