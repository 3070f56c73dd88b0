#!/usr/bin/env bash
# Checks the deployment files without a cluster: renders every kustomization (with `kubectl kustomize`, or the
# standalone `kustomize build`), parses every YAML file with python3 + PyYAML, and checks what the scale-out
# overlay promises (targets apart, Secrets referenced not written, the KEDA ScaledJob and its query).
# Missing tools are reported and skipped (exit 0); a file that fails to render, parse or check exits 1.
# The Dockerfile is not built here (that needs a Docker engine): docker build -f deploy/Dockerfile .
set -u
cd "$(dirname "$0")/.." # repository root
status=0
skipped=()
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT

have_pyyaml() { command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; }

if command -v kubectl >/dev/null 2>&1; then
  render() { kubectl kustomize "$1"; }
  renderer="kubectl kustomize"
elif command -v kustomize >/dev/null 2>&1; then
  render() { kustomize build "$1"; }
  renderer="kustomize build"
else
  renderer=""
fi

if [ -n "$renderer" ]; then
  for dir in deploy/kustomize/base deploy/kustomize/overlays/*/; do
    dir=${dir%/}
    out="$rendered/$(basename "$dir").yaml"
    if render "$dir" >"$out" 2>"$out.err"; then
      echo "ok    $renderer $dir ($(grep -c '^kind:' "$out") objects)"
    else
      echo "FAIL  $renderer $dir"; sed 's/^/      /' "$out.err"; status=1
    fi
  done
else
  skipped+=("kustomize rendering (neither kubectl nor kustomize)")
fi

if have_pyyaml; then
  while IFS= read -r -d '' file; do
    if err=$(python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' "$file" 2>&1); then
      echo "ok    yaml $file"
    else
      echo "FAIL  yaml $file"; echo "$err" | tail -3 | sed 's/^/      /'; status=1
    fi
  done < <(find deploy -name '*.yaml' -print0 | sort -z)
else
  skipped+=("YAML parsing (no python3 with PyYAML)")
fi

# What the scale-out overlay is for, checked on its rendered output.
if [ -s "$rendered/scale-out.yaml" ] && have_pyyaml; then
  if ! python3 - "$rendered/scale-out.yaml" <<'PY'
import sys, yaml

docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
problems = []

def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + "scale-out: " + what)
    if not ok:
        problems.append(what)

def containers(pod_spec):
    return pod_spec.get("containers", []) + pod_spec.get("initContainers", [])

def pod_specs():
    for d in docs:
        spec = d.get("spec", {})
        if d["kind"] == "Deployment":
            yield d, spec["template"]["spec"]
        elif d["kind"] == "ScaledJob":
            yield d, spec["jobTargetRef"]["template"]["spec"]

for name, target in [("forgeline-server", "api"), ("forgeline-scheduler", "scheduler"), ("forgeline-signer", "signer")]:
    dep = by.get(("Deployment", name))
    args = dep["spec"]["template"]["spec"]["containers"][0]["args"] if dep else []
    check(dep is not None and args[:3] == ["server", "--targets", target], f"Deployment {name} runs `server --targets {target}`")
check(("Deployment", "forgeline-worker") not in by, "no worker Deployment (workers are Jobs)")
check(not any(d["kind"] == "Secret" for d in docs), "no Secret is rendered (credentials stay out of Git)")
check(all(d["metadata"].get("namespace") == "forgeline" for d in docs if d["kind"] != "Namespace"), "every object is in namespace forgeline")

settings = [(d["metadata"]["name"], e) for d, pod in pod_specs() for c in containers(pod) for e in c.get("env", [])
            if e["name"] in ("FORGELINE_DATABASE", "FORGELINE_BROKER", "FORGELINE_TOKEN")]
check(len(settings) >= 5 and all("value" not in e and "secretKeyRef" in e.get("valueFrom", {}) for _, e in settings),
      f"database, broker and token settings come from Secrets ({len(settings)} references, no literal value)")
for target in ("forgeline-server", "forgeline-scheduler"):
    names = {e["name"] for n, e in settings if n == target}
    check({"FORGELINE_DATABASE", "FORGELINE_BROKER"} <= names, f"{target} has FORGELINE_DATABASE and FORGELINE_BROKER")

job = by.get(("ScaledJob", "forgeline-worker"))
check(job is not None and job["apiVersion"] == "keda.sh/v1alpha1", "ScaledJob forgeline-worker (keda.sh/v1alpha1)")
if job:
    spec = job["spec"]
    target = spec["jobTargetRef"]
    pod = target["template"]["spec"]
    worker = pod["containers"][0]
    check(worker["args"][:2] == ["worker", "--once"], "the Job runs `forgeline worker --once`")
    for key in ("pollingInterval", "maxReplicaCount", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        check(isinstance(spec.get(key), int) and spec[key] > 0, f"ScaledJob sets {key}")
    check(isinstance(target.get("activeDeadlineSeconds"), int) and target["activeDeadlineSeconds"] > 3 * 3600,
          "Jobs have an activeDeadlineSeconds above the 3 h build timeout")
    check(pod.get("restartPolicy") == "Never" and target.get("backoffLimit") == 0, "a failed pod is not restarted (the lease lapses instead)")
    trigger = spec["triggers"][0]
    check(trigger["type"] == "postgresql" and trigger["metadata"]["query"] == "SELECT count(*) FROM builds WHERE \"State\" = 'Queued'",
          "postgresql trigger counts queued builds")
    auth = trigger.get("authenticationRef", {}).get("name")
    ta = by.get(("TriggerAuthentication", auth))
    check(ta is not None and "connection" not in trigger["metadata"] and all("name" in r and "key" in r for r in ta["spec"]["secretTargetRef"]),
          f"the trigger authenticates through TriggerAuthentication {auth} from a Secret")
    security = {**pod.get("securityContext", {}), **worker.get("securityContext", {})}
    check(security.get("runAsNonRoot") is True and security.get("allowPrivilegeEscalation") is False and not security.get("privileged", False)
          and security.get("capabilities", {}).get("drop") == ["ALL"], "worker pods: non-root, no privilege escalation, no capabilities, not privileged")
    check("requests" in worker.get("resources", {}), "worker pods request resources")

sys.exit(1 if problems else 0)
PY
  then status=1; fi
elif [ -n "$renderer" ]; then
  skipped+=("scale-out checks (no python3 with PyYAML)")
fi

for what in "${skipped[@]}"; do echo "skip  $what"; done
[ "$status" -eq 0 ] && echo "deploy/check.sh: all checks that could run passed"
exit "$status"
