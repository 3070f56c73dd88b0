#!/usr/bin/env bash
# Checks the deployment files without a cluster: renders every kustomization with `kubectl kustomize`
# (if kubectl is installed) and parses every YAML file with python3 + PyYAML (if available).
# Missing tools are reported and skipped (exit 0); a file that fails to render or parse exits 1.
# The Dockerfile is not built here (that needs a Docker engine): docker build -f deploy/Dockerfile .
set -u
cd "$(dirname "$0")/.." # repository root
status=0
skipped=()

if command -v kubectl >/dev/null 2>&1; then
  for dir in deploy/kustomize/base deploy/kustomize/overlays/*/; do
    dir=${dir%/}
    if out=$(kubectl kustomize "$dir" 2>&1); then
      echo "ok    kubectl kustomize $dir ($(grep -c '^kind:' <<<"$out") objects)"
    else
      echo "FAIL  kubectl kustomize $dir"; echo "$out" | sed 's/^/      /'; status=1
    fi
  done
else
  skipped+=("kustomize rendering (no kubectl)")
fi

if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
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

for what in "${skipped[@]}"; do echo "skip  $what"; done
[ "$status" -eq 0 ] && echo "deploy/check.sh: all checks that could run passed"
exit "$status"
