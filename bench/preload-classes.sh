#!/usr/bin/env bash
# Regenerates the list of classes the standalone start loads (src/main/resources/META-INF/apogee/
# preload-classes.txt) from the class-load log of one start of the given jar, preloading off.
# usage: bench/preload-classes.sh [target/apogee.jar]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(realpath "${1:-target/apogee.jar}")
out=src/main/resources/META-INF/apogee/preload-classes.txt
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$work" && exec java -Dapogee.preload=false -Xlog:class+load:file="$work/classes.log":uptimemillis \
  -jar "$jar" >"$work/out.txt" 2>&1) &
pid=$!
for _ in $(seq 1 600); do
  grep -q "ready in" "$work/out.txt" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/out.txt" >&2; exit 1; }
  sleep 0.05
done
grep -q "ready in" "$work/out.txt" || { echo "not ready after 30 s" >&2; exit 1; }
kill "$pid"
wait "$pid" 2>/dev/null || true
ready_ms=$(sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' "$work/out.txt")

# Classes read from the jar or the JDK's modules (not those in the JDK's shared archive, which
# cost nothing to load), without the ones generated at run time.
{
  echo "# Classes a standalone start loads, in load order: bench/preload-classes.sh writes this."
  # Lines look like "[1234ms] a.b.C source: ..."; only what loaded before the ready line.
  grep -E ' source: (file:|jrt:)' "$work/classes.log" |
    awk -v ready="$ready_ms" '{ t = substr($1, 2) + 0; if (t <= ready) print $2 }' |
    grep -v -E '\$\$Lambda|^java\.lang\.invoke\.LambdaForm\$|^jdk\.proxy|^com\.sun\.proxy|GeneratedConstructorAccessor|GeneratedMethodAccessor'
} >"$out"
echo "$(grep -vc '^#' "$out") classes in $out"
