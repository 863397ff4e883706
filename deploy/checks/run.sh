#!/usr/bin/env bash
# Deployment checks (issue #8): images, docker-compose, the Helm chart, alerts and dashboards. See README.md here.
#
#   bash deploy/checks/run.sh            # everything: static checks, the services' /metrics test, the self-test
#   bash deploy/checks/run.sh --static   # no Kafka/PostgreSQL needed: skips starting services
#
# Idempotent; tools are built once into $LEDGERLINE_TOOLS_DIR (default deploy/checks/.tools) and reused while their
# pinned version (or, for kubevalidate, its source) is unchanged. Needs: Go (>= 1.25, /usr/local/go/bin is looked
# at), python3, node_modules from `npm ci`; installs promtool (Debian package prometheus) and python3-yaml if missing.
# The last line is "N passed, N failed" over every check and self-test; the exit code is 1 when any failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECKS="$ROOT/deploy/checks"
CHART="$ROOT/charts/ledgerline"
TOOLS="${LEDGERLINE_TOOLS_DIR:-$CHECKS/.tools}"
HELM_VERSION=v3.22.0
KUBE_VERSION=1.31.0
MODE="${1:-all}"
export PATH="$TOOLS:$ROOT/node_modules/.bin:/usr/local/go/bin:$PATH"
export GOFLAGS="${GOFLAGS:--mod=mod}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
started=$(date +%s)

note() { printf '== %s\n' "$*"; }
ok() { passed=$((passed + 1)); printf '   ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf '   FAIL %s\n' "$*"; }

# check NAME CMD...: runs CMD, shows its last lines on failure.
check() {
  local name="$1"
  shift
  if "$@" >"$WORK/out" 2>&1; then
    ok "$name ($(tail -n 1 "$WORK/out" | cut -c1-160))"
  else
    bad "$name"
    tail -n 25 "$WORK/out" | sed 's/^/        | /'
  fi
}

# expect_fail NAME REGEX CMD...: a self-test; CMD must fail, and for the planted fault (its output matches REGEX),
# not for some other reason.
expect_fail() {
  local name="$1" expected="$2"
  shift 2
  if "$@" >"$WORK/out" 2>&1; then
    bad "self-test: $name: the check passed a broken input"
  elif ! grep -qE "$expected" "$WORK/out"; then
    bad "self-test: $name: failed, but not with /$expected/"
    tail -n 10 "$WORK/out" | sed 's/^/        | /'
  else
    ok "self-test: $name: rejected ($(grep -m1 -E "$expected" "$WORK/out" | sed 's/^ *//' | cut -c1-150))"
  fi
}

# ---------------------------------------------------------------- tools

tools() {
  mkdir -p "$TOOLS"
  command -v go >/dev/null || { echo "Go is required (>= 1.25) to build helm and kubevalidate; install it or put it on PATH" >&2; exit 2; }
  if [[ ! -x "$TOOLS/helm" || "$(cat "$TOOLS/helm.version" 2>/dev/null)" != "$HELM_VERSION" ]]; then
    note "tools: building helm $HELM_VERSION (go install; once)"
    GOBIN="$TOOLS" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
    echo "$HELM_VERSION" >"$TOOLS/helm.version"
  fi
  local src_sum
  src_sum="$(cat "$CHECKS"/kubevalidate/{go.mod,go.sum,main.go} | sha256sum | cut -d' ' -f1)"
  if [[ ! -x "$TOOLS/kubevalidate" || "$(cat "$TOOLS/kubevalidate.sha256" 2>/dev/null)" != "$src_sum" ]]; then
    note "tools: building kubevalidate (k8s.io/api + prometheus-operator types)"
    (cd "$CHECKS/kubevalidate" && go build -o "$TOOLS/kubevalidate" .)
    echo "$src_sum" >"$TOOLS/kubevalidate.sha256"
  fi
  local missing=()
  command -v promtool >/dev/null || missing+=(prometheus)
  python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
  if ((${#missing[@]})); then
    note "tools: apt-get install ${missing[*]}"
    (apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
      (apt-get update -qq && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null))
  fi
  [[ -x "$ROOT/node_modules/.bin/node" ]] || { echo "node_modules/.bin/node missing: run npm ci first" >&2; exit 2; }
}

helm_template() { # RELEASE [helm args...]
  local rel="$1"
  shift
  helm template "$rel" "$@" --namespace ledgerline --kube-version "$KUBE_VERSION"
}

render_and_validate() { # LABEL CHART_DIR [helm args...]
  local label="$1" chart="$2"
  shift 2
  helm_template ledgerline "$chart" "$@" >"$WORK/$label.yaml" && kubevalidate -name "$label" <"$WORK/$label.yaml"
}

# ---------------------------------------------------------------- checks

static_checks() {
  note "image: Dockerfile rules"
  check "Dockerfile lint" python3 "$CHECKS/lint-dockerfile.py"

  note "chart: lint, render, strict decode against the Kubernetes and prometheus-operator API types"
  check "helm lint (default values)" helm lint "$CHART" --strict --kube-version "$KUBE_VERSION"
  check "helm lint (production values)" helm lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$CHART/ci/production-values.yaml"
  check "render + validate: default values" render_and_validate default "$CHART"
  check "render + validate: production, 10 stores (ci/production-values.yaml)" render_and_validate production "$CHART" -f "$CHART/ci/production-values.yaml"
  check "render + validate: sandboxes enabled (ci/sandboxes-values.yaml)" render_and_validate sandboxes "$CHART" -f "$CHART/ci/sandboxes-values.yaml"

  note "alerts: promtool"
  check "promtool check rules" promtool check rules "$CHART/rules/ledgerline-alerts.yaml"
  check "promtool test rules (alert unit tests)" promtool test rules "$CHART/tests/alerts.test.yaml"
  sed "s#/etc/prometheus/rules/\*.yaml#$CHART/rules/ledgerline-alerts.yaml#" "$ROOT/deploy/observability/prometheus/prometheus.yml" >"$WORK/prometheus.yml"
  check "promtool check config (compose Prometheus + rules)" promtool check config "$WORK/prometheus.yml"

  note "dashboards and compose"
  mkdir -p "$WORK/dashboards"
  check "dashboards match their generator" bash -c "LEDGERLINE_DASHBOARDS_OUT='$WORK/dashboards' python3 '$ROOT/deploy/observability/generate-dashboards.py' && diff -r '$WORK/dashboards' '$CHART/dashboards' && echo 'dashboards up to date'"
  check "docker-compose.yml structure" python3 "$CHECKS/compose-check.py" --emit-env "$WORK/compose-env.json"
  check "compose environment accepted by each service's config loader" node -r "$ROOT/scripts/register.cjs" "$CHECKS/compose-env-check.cjs" "$WORK/compose-env.json"
}

runtime_checks() {
  note "runtime: production install (npm ci --omit=dev), services started from it, /metrics vs dashboards and alerts, SIGTERM"
  check "production install of every buildable service" bash "$CHECKS/prod-install.sh" "${LEDGERLINE_PROD_DIR:-$TOOLS/prod}"
  if bash "$ROOT/deploy/local/with-infra.sh" node "$CHECKS/metrics-exist.cjs" --app "${LEDGERLINE_PROD_DIR:-$TOOLS/prod}/app" --save "$WORK/names.json" >"$WORK/metrics.log" 2>&1; then
    ok "metrics named by dashboards and alerts exist; SIGTERM exits 0 in order ($(tail -n 1 "$WORK/metrics.log" | cut -c1-320))"
  else
    bad "metrics named by dashboards and alerts exist; SIGTERM exits 0 in order"
  fi
  grep -vE '^# with-infra|^\[' "$WORK/metrics.log" | sed 's/^/        | /'
}

# Plants one fault at a time in a copy and expects the matching check to reject it.
self_test() {
  note "self-test: each check must reject a planted fault"
  local c="$WORK/chart"

  fresh_chart() { rm -rf "$c" && cp -r "$CHART" "$c"; }

  fresh_chart
  sed -i 's/containerPort: {{ $svc.port }}/containerPorts: {{ $svc.port }}/' "$c/templates/services.yaml"
  expect_fail "misspelt Deployment field (containerPorts)" 'unknown field "containerPorts"' render_and_validate broken-field "$c"

  fresh_chart
  sed -i 's/revisionHistoryLimit: 5/revisionHistoryLimit: five/' "$c/templates/services.yaml"
  expect_fail "wrong field type (revisionHistoryLimit: five)" 'cannot unmarshal string' render_and_validate broken-type "$c"

  fresh_chart
  sed -i 's#path: /health/ready#path: /ready#' "$c/templates/services.yaml"
  expect_fail "readiness probe off /health/ready" 'readinessProbe must GET /health/ready' render_and_validate broken-probe "$c"

  fresh_chart
  sed -i 's/^  interval: {{ .Values.metrics.serviceMonitor.interval }}/      intervall: 30s/; s/      interval: {{ .Values.metrics.serviceMonitor.interval }}/      intervall: 30s/' "$c/templates/servicemonitor.yaml"
  expect_fail "unknown ServiceMonitor endpoint field (intervall)" 'unknown field "intervall"' render_and_validate broken-monitor "$c"

  printf 'services:\n  store-gateway:\n    env:\n      STORE_GATEWAY_ADMIN_TOKEN: plain-text-secret-in-values\n' >"$WORK/secret-values.yaml"
  expect_fail "a secret as a plain value (values.schema.json)" 'STORE_GATEWAY_ADMIN_TOKEN' helm lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$WORK/secret-values.yaml"

  printf 'services:\n  connector-fortnox:\n    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 8, targetCPUUtilizationPercentage: 70 }\n' >"$WORK/too-many.yaml"
  expect_fail "consumer maxReplicas above the partition count" 'maxReplicas=8 exceeds the 3 partitions' helm_template ledgerline "$CHART" -f "$WORK/too-many.yaml"

  printf 'servicez: {}\n' >"$WORK/typo-values.yaml"
  expect_fail "unknown top-level value (servicez)" "additional properties 'servicez' not allowed" helm lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$WORK/typo-values.yaml"

  cp "$CHART/rules/ledgerline-alerts.yaml" "$WORK/bad-syntax.yaml"
  sed -i '0,/> 1000/s//> > 1000/' "$WORK/bad-syntax.yaml"
  expect_fail "alert with invalid PromQL" 'parse error|unexpected' promtool check rules "$WORK/bad-syntax.yaml"

  mkdir -p "$WORK/rules-test/rules" "$WORK/rules-test/tests"
  sed '0,/> 1000/s//> 100000/' "$CHART/rules/ledgerline-alerts.yaml" >"$WORK/rules-test/rules/ledgerline-alerts.yaml"
  cp "$CHART/tests/alerts.test.yaml" "$WORK/rules-test/tests/"
  expect_fail "alert threshold changed under its unit test" 'LedgerlineConsumerLagHigh' promtool test rules "$WORK/rules-test/tests/alerts.test.yaml"

  if [[ -f "$WORK/names.json" ]]; then
    sed 's/ledgerline_consumer_lag_messages) > 1000/ledgerline_consumer_lag_msgs) > 1000/' "$CHART/rules/ledgerline-alerts.yaml" >"$WORK/unknown-metric.yaml"
    expect_fail "alert on a metric no service exposes" 'ledgerline_consumer_lag_msgs is exposed by no running service' node "$CHECKS/metrics-exist.cjs" --names "$WORK/names.json" --rules "$WORK/unknown-metric.yaml"
    mkdir -p "$WORK/dash-bad"
    cp "$CHART"/dashboards/*.json "$WORK/dash-bad/"
    sed -i 's/ledgerline_erp_deliveries_total/ledgerline_erp_documents_total/' "$WORK/dash-bad/ledgerline-overview.json"
    expect_fail "dashboard panel on a metric no service exposes" 'ledgerline_erp_documents_total is exposed by no running service' node "$CHECKS/metrics-exist.cjs" --names "$WORK/names.json" --dashboards "$WORK/dash-bad"
  fi

  # The shutdown this check replaced: tracing shut down beside Nest's hooks, the relay stopped without draining, exit 143.
  printf '%s\n' '[shutdown-trace] +0 ms SIGTERM received' '[shutdown-trace] +1 ms tracing shutdown start' '[shutdown-trace] +3 ms tracing shutdown done' \
    '[shutdown-trace] +5 ms consumer stop start' '[shutdown-trace] +40 ms consumer stop done' '[shutdown-trace] +41 ms outbox relay stop start' \
    '[shutdown-trace] +60 ms outbox relay stop done' '[shutdown-trace] +61 ms database pool end start' '[shutdown-trace] +62 ms database pool end done' \
    '[shutdown-trace] +70 ms process exit code=143' >"$WORK/shutdown-old.log"
  expect_fail "SIGTERM: exit 143, relay not drained, tracing before the pool" 'expected code 0|without draining|tracing must shut down last' node "$CHECKS/shutdown-order.cjs" "$WORK/shutdown-old.log" 143
  grep -v '^USER ' "$ROOT/deploy/docker/Dockerfile" >"$WORK/Dockerfile"
  cp "$ROOT/deploy/docker/Dockerfile.dockerignore" "$WORK/Dockerfile.dockerignore"
  expect_fail "Dockerfile without USER" 'no USER' python3 "$CHECKS/lint-dockerfile.py" "$WORK/Dockerfile"
  sed 's/--omit=dev //' "$ROOT/deploy/docker/Dockerfile" >"$WORK/Dockerfile"
  expect_fail "Dockerfile installing dev dependencies" 'npm ci --omit=dev' python3 "$CHECKS/lint-dockerfile.py" "$WORK/Dockerfile"

  python3 - "$ROOT/docker-compose.yml" "$WORK/docker-compose.yml" <<'EOF'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
doc['services']['connector-fortnox'].pop('healthcheck', None)
doc['services']['connector-fortnox']['environment'].pop('KAFKA_BROKERS')
yaml.safe_dump(doc, open(sys.argv[2], 'w'))
EOF
  expect_fail "compose service without healthcheck and KAFKA_BROKERS" 'connector-fortnox: (no healthcheck|environment KAFKA_BROKERS is missing)' python3 "$CHECKS/compose-check.py" --compose "$WORK/docker-compose.yml" --base "$ROOT"
}

tools
static_checks
if [[ "$MODE" != "--static" ]]; then runtime_checks; fi
self_test
echo "deploy checks took $(($(date +%s) - started)) s"
echo "$passed passed, $failed failed"
((failed == 0))
