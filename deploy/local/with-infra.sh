#!/usr/bin/env bash
# Runs a command with the local infrastructure up and its addresses in the environment:
#
#   bash deploy/local/with-infra.sh CMD [ARGS...]
#
# 1. `infra.sh up` (idempotent; honours KAFKA_BROKERS / DATABASE_URL already set: those are not started)
# 2. exports the KEY=VALUE lines of `infra.sh status` (KAFKA_BROKERS, DATABASE_URL)
# 3. runs CMD.
#
# The infrastructure is LEFT RUNNING afterwards, so the next run starts in a second (stop it with
# `npm run infra:down`). With LEDGERLINE_INFRA_DOWN_AFTER=1 it is stopped after CMD, and CMD's exit
# code is still the exit code of this script.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -eq 0 ]]; then
  echo "usage: bash deploy/local/with-infra.sh CMD [ARGS...]" >&2
  exit 2
fi

# Progress of `up` goes to stderr, so CMD's stdout stays its own.
bash "$HERE/infra.sh" up >&2 || {
  echo "with-infra: 'infra.sh up' failed (see the messages above)" >&2
  exit 1
}
status="$(bash "$HERE/infra.sh" status)" || {
  printf '%s\n' "$status" >&2
  echo "with-infra: 'infra.sh status' reports something down" >&2
  exit 1
}
while IFS= read -r line; do
  if [[ "$line" =~ ^[A-Z][A-Z0-9_]*= ]]; then
    export "${line?}"
    echo "# with-infra: $line" >&2
  fi
done <<<"$status"

if [[ "${LEDGERLINE_INFRA_DOWN_AFTER:-}" == "1" ]]; then
  rc=0
  "$@" || rc=$?
  bash "$HERE/infra.sh" down >&2 || echo "with-infra: 'infra.sh down' failed" >&2
  exit "$rc"
fi
exec "$@"
