#!/bin/sh
# Builds TA-Lib's C library (0.6.0-dev, the source the npm package talib@2.0.5 bundles: the same TA-Lib that computed
# the reference values in ../shared/data/reference/indicators) into data/tmp/talib, for `ita bench --only indicators`.
# Needs the npm registry once (npm pack), make and a C/C++ compiler; about a minute. Nothing is installed system-wide.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${ITA_TALIB_DIR:-$ROOT/data/tmp/talib}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent talib@2.0.5 >/dev/null
tar xzf talib-2.0.5.tgz
# The package also carries prebuilt objects; they are removed so that the library is compiled here, from source.
rm -f package/src/lib/temp/csr/*.o package/src/lib/lib/*.a
(cd package/src/lib/make/csr/linux/g++ && make -j2 >"$WORK/make.log" 2>&1) || { tail -20 "$WORK/make.log"; exit 1; }
mkdir -p "$DEST/include" "$DEST/lib"
cp package/src/lib/include/*.h "$DEST/include/"
cp package/src/lib/lib/libta_libc_csr.a "$DEST/lib/"
echo "TA-Lib C built into $DEST"
