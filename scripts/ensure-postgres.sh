#!/usr/bin/env bash
# Make sure PostgreSQL's server binaries are installed (Debian packages).
# The test suite itself starts a throwaway cluster with initdb on loopback.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL server binaries are missing; install Debian's 'postgresql' package" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
