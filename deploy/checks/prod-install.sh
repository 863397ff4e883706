#!/usr/bin/env bash
# Repeats the image's build and deps stages without Docker (deploy/docker/Dockerfile): compiles every service that has
# a src/main.ts with deploy/docker/build.cjs, then `npm ci --omit=dev` into the result, so what runs from it has only
# the production dependency set. metrics-exist.cjs then starts the services from this tree with plain `node`.
#
#   bash deploy/checks/prod-install.sh <out-dir>
#
# Reuses <out-dir>/node_modules when package-lock.json has not changed since the last install (fast reruns).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:?usage: prod-install.sh <out-dir>}"
export PATH="$ROOT/node_modules/.bin:$PATH"

mkdir -p "$OUT"
lock_sum="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
keep_modules=""
if [[ -d "$OUT/app/node_modules" && "$(cat "$OUT/lock.sha256" 2>/dev/null)" == "$lock_sum" ]]; then
  keep_modules=1
  mv "$OUT/app/node_modules" "$OUT/node_modules.keep"
fi

first=""
for dir in "$ROOT"/services/*/; do
  svc="$(basename "$dir")"
  [[ -f "$dir/src/main.ts" ]] || { echo "prod-install: $svc has no src/main.ts yet; not built"; continue; }
  if [[ -z "$first" ]]; then
    first="$svc"
    node "$ROOT/deploy/docker/build.cjs" "$svc" "$OUT/app"
  else
    node "$ROOT/deploy/docker/build.cjs" "$svc" "$OUT/one" >/dev/null
    rm -rf "$OUT/app/services/$svc"
    cp -r "$OUT/one/services/$svc" "$OUT/app/services/$svc"
    echo "built $svc"
  fi
done
rm -rf "$OUT/one"

if [[ -n "$keep_modules" ]]; then
  mv "$OUT/node_modules.keep" "$OUT/app/node_modules"
  echo "prod-install: package-lock.json unchanged; production node_modules reused"
else
  start=$(date +%s)
  (cd "$OUT/app" && npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error)
  echo "$lock_sum" >"$OUT/lock.sha256"
  echo "prod-install: npm ci --omit=dev took $(( $(date +%s) - start )) s; $(du -sh "$OUT/app/node_modules" | cut -f1) of production dependencies"
fi
if [[ -d "$OUT/app/node_modules/typescript" || -d "$OUT/app/node_modules/@swc/core" || -d "$OUT/app/node_modules/jest" ]]; then
  echo "prod-install: note: $(ls -d "$OUT"/app/node_modules/{typescript,@swc/core,jest} 2>/dev/null | xargs -n1 basename | tr '\n' ' ')present in the production set (pulled in as peers of production packages)"
fi
