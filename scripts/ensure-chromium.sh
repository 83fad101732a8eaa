#!/usr/bin/env bash
# Make sure Debian's Chromium is installed: the results report's tests render it headless
# (tests/_support/browser.py), with no network, and never skip. No browser is downloaded
# from anywhere but Debian's packages.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "Chromium is missing; install Debian's 'chromium' package" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
