#!/usr/bin/env bash
# make setup: install whatever is missing, idempotently, and say what it does.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.local/bin:$PATH"
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v uv >/dev/null 2>&1; then
  step "installing uv from PyPI"
  python3 -m pip install --user --progress-bar on uv || python3 -m pip install --progress-bar on uv
fi

if [ ! -x .venv/bin/python ] || [ uv.lock -nt .venv/.synced ] || [ pyproject.toml -nt .venv/.synced ]; then
  step "installing Python dependencies (uv sync)"
  uv sync --all-packages --frozen
  touch .venv/.synced
fi

if [ -z "${DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  step "installing PostgreSQL (Debian package)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi

if ! command -v chromium >/dev/null 2>&1; then
  step "installing Chromium (Debian package) for the ops console's browser test"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  command -v java >/dev/null || { echo "Java 17+ is needed to run Apache Kafka"; exit 1; }
  uv run --frozen devstack setup
fi

# kustomize for `make lint` (devstack lint-deploy): built once from the Go module proxy into
# .state/bin. Go is on the project's machines; without it only the deployment lint fails.
KUSTOMIZE_VERSION=v5.8.0
if [ ! -x .state/bin/kustomize ] || ! grep -qx "$KUSTOMIZE_VERSION" .state/bin/.kustomize-version 2>/dev/null; then
  if command -v go >/dev/null 2>&1; then
    step "installing kustomize $KUSTOMIZE_VERSION (go install, into .state/bin)"
    mkdir -p .state/bin
    if GOTOOLCHAIN=local GOBIN="$PWD/.state/bin" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"; then
      echo "$KUSTOMIZE_VERSION" > .state/bin/.kustomize-version
    else
      echo "warning: kustomize could not be built: 'make lint' cannot build the Kubernetes overlays" >&2
    fi
  else
    echo "warning: Go is missing, so kustomize is not installed: 'make lint' cannot build the Kubernetes overlays" >&2
  fi
fi

# promtool and prometheus for the alerting rules' tests (tests/deploy/test_alert_rules.py,
# tests/integration/test_observability.py) and `make lint`: taken out of Debian's prometheus
# package into .state/bin; the package is not installed (it would start a Prometheus server
# listening on every interface). The tests start theirs on 127.0.0.1.
if [ ! -x .state/bin/promtool ] || [ ! -x .state/bin/prometheus ]; then
  step "installing promtool and prometheus (from Debian's prometheus package, into .state/bin)"
  mkdir -p .state/bin
  scratch=$(mktemp -d)
  if ! (cd "$scratch" && apt-get download prometheus >/dev/null 2>&1); then
    as_root apt-get update
    (cd "$scratch" && apt-get download prometheus)
  fi
  dpkg-deb -x "$scratch"/prometheus_*.deb "$scratch/x"
  install -m 0755 "$scratch/x/usr/bin/promtool" "$scratch/x/usr/bin/prometheus" .state/bin/
  rm -rf "$scratch"
  .state/bin/promtool --version | head -1
fi
