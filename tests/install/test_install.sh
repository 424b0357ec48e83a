#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_install.sh BUILD_DIR SOURCE_DIR - install a build into a scratch
# prefix and build hello_mtree.c against it with pkg-config alone, as a
# user of the installed library would.
set -euo pipefail

build=$1
src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name mtree.pc | head -n 1)")
export PKG_CONFIG_PATH=$pcdir
# The .pc file was generated for the configured prefix; point it here.
flags=$(pkg-config --define-variable=prefix="$prefix" --cflags --libs mtree)
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -o "$prefix/hello_mtree" "$src/tests/install/hello_mtree.c" $flags
"$prefix/hello_mtree"
