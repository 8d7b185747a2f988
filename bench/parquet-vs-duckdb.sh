#!/usr/bin/env bash
# Parquet write throughput: our ParquetWriter (parquet-hadoop; the caller's thread converts rows, one encoding
# thread runs parquet-hadoop) against DuckDB's COPY (SELECT ...) TO 'x.parquet' (FORMAT parquet) of the same rows,
# same codec, same machine, same run. Target: ours >= 0.5 x DuckDB rows/s.
#
# Rows are ord_orders-shaped export rows (typed columns + item_json). Ours is measured as an export uses the writer:
# each row is built and written at once (a Jackson tree is only cache-hot right after it is built), so every round
# times "build only" and "build + write" of all rows; the writer's time is the difference (medians, run
# alternately). The writer's encoding thread works while the next rows are built, as during an export; the same
# with everything on one thread is printed too (both must write identical bytes).
# DuckDB: the same rows are loaded from a JSONL file into a table first; only the COPY is timed. One warm-up each,
# then RUNS rounds in which ours and DuckDB alternate; medians. Other processes skew both: the load average is printed.
#
# usage: bench/parquet-vs-duckdb.sh [rows, default 1000000] [codec zstd|snappy|gzip|uncompressed|lz4_raw, default zstd] [runs, default 5]
# env:   MVN_FLAGS (e.g. "-o" to build offline), JAVA_OPTS (default -Xmx2g)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
CODEC=${2:-zstd}
RUNS=${3:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} -pl exporter -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="exporter/target/test-classes:exporter/target/classes:lifecycle/target/classes:$(cat "$WORK/cp.txt")"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx2g} -cp "$CP" io.offboard.exporter.format.ParquetVsDuckDbBench "$ROWS" "$CODEC" "$RUNS" "$WORK/data"
