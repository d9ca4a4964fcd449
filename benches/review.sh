#!/usr/bin/env bash
# Benchmarks of the supervisor's side (SPEC section 8): opening a store of N visits cold and
# warm, its peak memory, and exporting it as CSV against `cat` over the same files.
#   benches/review.sh [N] [DIR]      (default 100000 visits in $TMPDIR/sitecheck-bench-N)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
dir=${2:-${TMPDIR:-/tmp}/sitecheck-bench-$n}
cargo build --release --quiet --example gen_store --bin sitecheck
cargo bench --quiet --no-run --bench review_open
if [ ! -d "$dir/visits" ]; then
  ./target/release/examples/gen_store --visits "$n" --out "$dir"
fi
cargo bench --quiet --bench review_open -- "$dir"
bench=$(ls -t target/release/deps/review_open-* | grep -v '\.d$' | head -1)
echo
echo "peak memory of one warm open (goal <= 300 MB):"
/usr/bin/time -v "$bench" "$dir" --once 2>&1 | grep -E "Maximum resident|Elapsed"
rm -rf "$dir/cache"
echo "peak memory of one cold open (goal <= 300 MB):"
/usr/bin/time -v "$bench" "$dir" --once 2>&1 | grep -E "Maximum resident|Elapsed"
echo
echo "export csv vs cat (goal: within 3x):"
start=$(date +%s.%N); find "$dir/visits" -name '*.jsonl' -exec cat {} + > /dev/null; end=$(date +%s.%N)
echo "  cat:    $(echo "$end - $start" | bc) s"
start=$(date +%s.%N); ./target/release/sitecheck --data-dir "$dir" export --format csv > /dev/null; end=$(date +%s.%N)
echo "  export: $(echo "$end - $start" | bc) s"
