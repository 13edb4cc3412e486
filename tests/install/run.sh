#!/bin/sh
# Install the build into a scratch prefix, then build a consumer against it
# twice: with find_package(memforensics) and with pkg-config. Check the CLI,
# the man page and the SONAME too.
#   run.sh BUILD_DIR SOURCE_DIR [EXTRA_CFLAGS]
set -eu
build=$1 src=$2 extra=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib*/ | head -n1)
test -f "$prefix/include/memforensics.h"
test -x "$prefix/bin/memforensics"
test -f "$prefix/share/man/man1/memforensics.1"
test -f "$libdir/libmemforensics.a"
soname=$(objdump -p "$libdir/libmemforensics.so" | awk '/SONAME/ {print $2}')
test "$soname" = "libmemforensics.so.0" || { echo "SONAME is '$soname'"; exit 1; }
# Only the API is exported.
if nm -D --defined-only "$libdir/libmemforensics.so" | awk '{print $3}' | grep -v '^mf_' | grep -v '^_' | grep .; then
  echo "symbols outside the API are exported"; exit 1
fi
LD_LIBRARY_PATH=$libdir "$prefix/bin/memforensics" --version
# find_package
mkdir "$tmp/cm"
cp "$src/tests/install/consumer.c" "$tmp/cm/"
cp "$src/tests/install/CMakeLists.txt.in" "$tmp/cm/CMakeLists.txt"
cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" >/dev/null
cmake --build "$tmp/cm/build" >/dev/null
LD_LIBRARY_PATH=$libdir "$tmp/cm/build/consumer"
# pkg-config
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
# shellcheck disable=SC2046,SC2086
cc $extra -o "$tmp/pc-consumer" "$src/tests/install/consumer.c" $(pkg-config --cflags --libs memforensics)
LD_LIBRARY_PATH=$libdir "$tmp/pc-consumer"
# static library with the shared libraries it requires (Requires.private)
reqs=$(pkg-config --print-requires-private memforensics | awk '{print $1}')
# shellcheck disable=SC2046,SC2086
cc $extra -o "$tmp/static-consumer" "$src/tests/install/consumer.c" $(pkg-config --cflags memforensics) \
  "$libdir/libmemforensics.a" $(pkg-config --libs $reqs) -lpthread -lm
"$tmp/static-consumer"
echo "install ok"
