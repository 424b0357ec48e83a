#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_install_vmasim.sh BUILD_DIR SOURCE_DIR - install a build into a
# scratch prefix and use it as a user would:
#   1. build hello_vmasim.c with `pkg-config vmasim` alone;
#   2. build it (and hello_mtree.c) with find_package(vmasim), from the
#      small CMake project in tests/install/find_package;
#   3. check that the tool and its manual were installed.
set -euo pipefail

build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

step() { printf '== %s\n' "$*"; }
die() { printf 'test_install_vmasim: %s\n' "$*" >&2; exit 1; }

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" ||
	{ cat "$work/install.log" >&2; die "cmake --install failed"; }

# ---- 1. pkg-config --------------------------------------------------------

pc=$(find "$prefix" -name vmasim.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || die "vmasim.pc not installed"
export PKG_CONFIG_PATH=${pc%/*}${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
# The .pc files name the configured prefix; point them at the scratch one.
flags=$(pkg-config --define-variable=prefix="$prefix" --cflags --libs vmasim)
step "pkg-config --cflags --libs vmasim: $flags"
case " $flags " in
*" -lvmasim "*"-lmtree "*"-lurcu-bp "*) ;;
*) die "pkg-config vmasim misses a library: $flags" ;;
esac
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -o "$work/hello_vmasim_pc" \
	"$src/tests/install/hello_vmasim.c" $flags
"$work/hello_vmasim_pc"

# ---- 2. find_package(vmasim) ----------------------------------------------

config=$(find "$prefix" -name vmasimConfig.cmake -path '*/cmake/vmasim/*' | head -n 1)
[ -n "$config" ] || die "vmasimConfig.cmake not installed"
for f in vmasimConfigVersion.cmake vmasimTargets.cmake; do
	[ -f "${config%/*}/$f" ] || die "$f not installed next to vmasimConfig.cmake"
done
step "find_package(vmasim) from ${config#"$prefix"/}"
# vmasimConfig.cmake finds liburcu-bp (and jemalloc) through pkg-config,
# in the system's paths and PKG_CONFIG_PATH.
if ! cmake -S "$src/tests/install/find_package" -B "$work/consumer" \
	-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
	>"$work/consumer.log" 2>&1 ||
   ! cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1; then
	cat "$work/consumer.log" >&2
	die "the find_package(vmasim) consumer did not build"
fi
"$work/consumer/hello_vmasim"
"$work/consumer/hello_mtree"

# ---- 3. the tool and its manual -------------------------------------------

step "bin/vmasim and share/man/man1/vmasim.1"
[ -x "$prefix/bin/vmasim" ] || die "bin/vmasim not installed"
"$prefix/bin/vmasim" --version
"$prefix/bin/vmasim" --help >/dev/null
[ -s "$prefix/share/man/man1/vmasim.1" ] || die "share/man/man1/vmasim.1 not installed"
grep -q '^\.TH VMASIM 1 ' "$prefix/share/man/man1/vmasim.1" ||
	die "share/man/man1/vmasim.1 is not the vmasim(1) manual"

echo "test_install_vmasim: ok"
