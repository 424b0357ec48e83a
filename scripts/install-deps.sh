#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# install-deps.sh - install the Debian packages vmasim builds and tests with.
#
# Idempotent: installs only what dpkg does not list as installed, and runs
# "apt-get update" only when something is missing.  Runs apt-get directly as
# root, through sudo otherwise.
#
# Usage: scripts/install-deps.sh
set -euo pipefail

packages=(
	build-essential
	cmake
	pkg-config
	liburcu-dev
	libjemalloc-dev
	libcmocka-dev
	clang
	strace
	python3
)

log()
{
	printf 'install-deps: %s\n' "$*"
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	log "not a Debian system (no dpkg-query/apt-get); install these by hand: ${packages[*]}" >&2
	exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [[ $status != "install ok installed" ]]; then
		missing+=("$pkg")
	fi
done

if ((${#missing[@]} == 0)); then
	log "all ${#packages[@]} packages already installed"
	exit 0
fi

as_root=()
if ((EUID != 0)); then
	if ! command -v sudo >/dev/null 2>&1; then
		log "need root (or sudo) to install: ${missing[*]}" >&2
		exit 1
	fi
	as_root=(sudo)
fi

log "installing: ${missing[*]}"
# sudo resets the environment: pass DEBIAN_FRONTEND through env(1).
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
log "done"
