#!/usr/bin/env bash
# The benchmarks of SPEC section 8, in one run: builds the release binary and the bench
# binaries, generates its own data (checklists, and stores of 1,000, 10,000 and 100,000
# visits), runs every bench and prints one table: what | goal | baseline | sitecheck | ratio.
#
#   scripts/bench.sh                 everything (the 100,000-visit store takes a while)
#   BENCH_SIZES="1000 10000" scripts/bench.sh     smaller stores, for a quick look
#   BENCH_DIR=/some/disk scripts/bench.sh         where the data goes (local disk: the
#                                                 durable-answer bench fsyncs there)
#   BENCH_KEEP=1 scripts/bench.sh                 keep the generated data afterwards
#
# Needs: a Rust toolchain (cargo); PostgreSQL for the fleet store bench (skipped without it);
# `dialog` for the start-up baseline (installed with
# apt-get when missing and possible). Figures go to stdout; progress to stderr.
set -euo pipefail

cd "$(dirname "$0")/.."
say() { printf '%s\n' "bench: $*" >&2; }
fail() {
    printf '%s\n' "bench: error: $*" >&2
    exit 1
}

command -v cargo >/dev/null || fail "cargo not found — install Rust (https://rustup.rs) first"
[ -f examples/gen_store.rs ] || fail "examples/gen_store.rs is missing — the store generator is needed for the store benches"
if ! command -v dialog >/dev/null; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        say "installing dialog (the start-up baseline)"
        apt-get update -qq >/dev/null && apt-get install -y -qq dialog >/dev/null ||
            fail "apt-get could not install dialog"
    elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
        say "installing dialog (the start-up baseline) with sudo"
        sudo apt-get update -qq >/dev/null && sudo apt-get install -y -qq dialog >/dev/null ||
            fail "apt-get could not install dialog"
    else
        fail "dialog is missing and cannot be installed here — install the 'dialog' package"
    fi
fi
for tool in find xargs cat; do
    command -v "$tool" >/dev/null || fail "$tool not found"
done

sizes=${BENCH_SIZES:-"1000 10000 100000"}
base=${BENCH_DIR:-$PWD/target}
mkdir -p "$base"
work=$(mktemp -d "$base/sitecheck-bench.XXXXXX")
if [ -z "${BENCH_KEEP:-}" ]; then
    trap 'rm -rf "$work"' EXIT
else
    say "data kept in $work"
fi

say "building the release binary, the store generator and the benches"
cargo build --release --quiet --bin sitecheck --example gen_store
cargo bench --quiet --no-run 2>/dev/null || cargo bench --no-run
export SITECHECK_BIN=$PWD/target/release/sitecheck
# Nothing from the user's setup: its own config, no extra checklist folders.
export SITECHECK_CONFIG=$work/config.yaml
unset SITECHECK_CHECKLISTS SITECHECK_DATA_DIR

stores=()
for n in $sizes; do
    store=$work/store-$n
    say "generating $n visits in $store"
    start=$(date +%s)
    target/release/examples/gen_store --visits "$n" --out "$store" >/dev/null
    say "  $n visits in $(($(date +%s) - start)) s, $(du -sh "$store" | cut -f1)"
    stores+=("$store")
done
stores_joined=$(IFS=:; echo "${stores[*]}")
# The home screen is timed over the 10,000-visit store (or the largest made).
home_store=${stores[-1]}
for s in "${stores[@]}"; do
    [ "${s##*-}" = 10000 ] && home_store=$s
done

# Other work on the machine shows in every wall-clock figure: its load goes in the header.
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
rows=$work/rows.tsv
: >"$rows"
run() {
    local name=$1
    shift
    say "running $name"
    env "$@" cargo bench --quiet --bench "$name" 2>"$work/$name.log" >>"$rows" ||
        fail "bench $name failed — see below$(printf '\n'; tail -20 "$work/$name.log")"
    grep -v '^ *\(Finished\|Running\|Compiling\)' "$work/$name.log" | sed 's/^/  /' >&2 || true
}
run startup BENCH_STORE="$home_store"
run render
run answer BENCH_DIR="$work"
run attach BENCH_DIR="$work"
run lint
run store BENCH_STORES="$stores_joined"
run fleet BENCH_STORES="$stores_joined"

echo
echo "sitecheck benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), data on $(df -P "$work" | awk 'NR==2 {print $1}')"
echo "load average when the benches began: $load_before; when they ended: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")"
echo
# A plain-text table, columns padded to their widest cell (awk: `column` is not everywhere).
{
    printf 'what\tgoal\tbaseline\tsitecheck\tratio\n'
    grep '^row' "$rows" | cut -f2-
} | awk -F'\t' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
    NF > cols { cols = NF }
    END {
        for (r = 1; r <= NR; r++) {
            line = ""
            for (i = 1; i <= cols; i++) line = line sprintf("%-*s", w[i], cell[r, i]) (i < cols ? " | " : "")
            print line
            if (r == 1) { line = ""; for (i = 1; i <= cols; i++) { d = sprintf("%*s", w[i], ""); gsub(/ /, "-", d); line = line d (i < cols ? "-|-" : "") } print line }
        }
    }'
grep '^note' "$rows" | cut -f2- | sed 's/^/  * /' || true
