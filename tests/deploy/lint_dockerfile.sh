#!/usr/bin/env bash
# deploy/Dockerfile checked without a Docker engine: pinned Debian 12 bases, a builder and a
# runtime stage, a non-root user, nothing fetched outside apt, lean apt layers, exec-form
# ENTRYPOINT/CMD, Open MPI set for containers, COPY sources that exist and are in the build
# context, and runtime packages that provide every shared library of the binary built here.
# Usage: lint_dockerfile.sh SPINFER (the built binary)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
packages=$(/usr/bin/python3 - "$root" <<'PY'
import json, os, re, shlex, sys

root = sys.argv[1]
failures = []
def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)

# Instructions with their continuation lines joined, comments dropped.
text = re.sub(r"\\\n", " ", open(os.path.join(root, "deploy/Dockerfile")).read())
instructions = []
for line in text.splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))

stages = []  # (name, [instructions])
for keyword, rest in instructions:
    if keyword == "FROM":
        words = rest.split()
        name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
        stages.append({"image": words[0], "name": name, "body": []})
    elif stages:
        stages[-1]["body"].append((keyword, rest))
check(instructions and instructions[0][0] == "FROM", "starts with FROM")
for s in stages:
    check(re.fullmatch(r"debian:12(\.\d+)?(-slim)?(@sha256:[0-9a-f]{64})?", s["image"]) is not None,
          f"stage {s['name']}: base {s['image']} is Debian 12, pinned (not latest/stable)")
names = [s["name"] for s in stages]
check(len(stages) >= 2 and "builder" in names, f"multi-stage with a builder stage ({names})")
final = stages[-1]
check(any(k == "COPY" and "--from=builder" in r for k, r in final["body"]),
      "final stage copies the build result from the builder")
users = [r for k, r in final["body"] if k == "USER"]
check(bool(users) and users[-1].split(":")[0] not in ("root", "0"),
      f"final stage runs as a non-root USER ({users[-1] if users else 'none'})")
for keyword in ("ENTRYPOINT", "CMD"):
    values = [r for k, r in final["body"] if k == keyword]
    try:
        ok = bool(values) and all(isinstance(json.loads(v), list) for v in values)
    except ValueError:
        ok = False
    check(ok, f"{keyword} in exec (JSON array) form: {values}")
stop = [r for k, r in final["body"] if k == "STOPSIGNAL"]
check(stop == ["SIGUSR1"],
      f"STOPSIGNAL SIGUSR1: docker stop checkpoints through mpirun as well ({stop})")
check(not any(k == "ADD" for k, _ in instructions), "no ADD (COPY only, no remote URLs)")
check(not any(re.search(r"\b(curl|wget)\b|https?://", r) for k, r in instructions if k == "RUN"),
      "no downloads outside apt (curl, wget, URLs) in RUN")
installs = [r for k, r in instructions if k == "RUN" and "apt-get install" in r]
check(bool(installs), "packages come from apt-get install")
for r in installs:
    first = " ".join(r.split()[:6])
    check("--no-install-recommends" in r and re.search(r"apt-get install[^&;]*\s-y\b", r) is not None,
          f"apt-get install -y --no-install-recommends: {first} ...")
    check("apt-get update" in r and "rm -rf /var/lib/apt/lists/*" in r,
          f"apt-get update and rm -rf /var/lib/apt/lists/* in the same RUN: {first} ...")
env = " ".join(r for k, r in final["body"] if k == "ENV")
check("OMPI_MCA_btl_vader_single_copy_mechanism=none" in env,
      "ENV OMPI_MCA_btl_vader_single_copy_mechanism=none (no ptrace in containers)")
ignore = [l.strip() for l in open(os.path.join(root, "deploy/Dockerfile.dockerignore"))
          if l.strip() and not l.startswith("#")]
for k, r in instructions:
    if k == "COPY" and "--from=" not in r:
        for source in shlex.split(r)[:-1]:
            if not source.startswith("--"):
                check(os.path.exists(os.path.join(root, source)), f"COPY source {source} exists")
                check(ignore[:1] != ["**"] or "!" + source in ignore,
                      f"COPY source {source} is in the build context (Dockerfile.dockerignore)")

runtime_install = " ".join(r for k, r in final["body"] if k == "RUN" and "apt-get install" in r)
words = runtime_install.split("apt-get install", 1)[-1].split("&&")[0].split()
print("PACKAGES " + " ".join(w for w in words if not w.startswith("-")))
sys.exit(1 if failures else 0)
PY
)
status=$?
grep -v '^PACKAGES ' <<< "$packages"
[ "$status" -eq 0 ] || { echo "FAIL deploy/Dockerfile"; exit 1; }
read -r -a runtime <<< "$(sed -n 's/^PACKAGES //p' <<< "$packages")"
/usr/bin/python3 "$here/runtime_packages.py" "$1" "${runtime[@]}" || exit 1
echo "passed"
