#!/usr/bin/env bash
# Parquet write throughput: our ParquetWriter (parquet-hadoop; the caller's thread converts rows, one encoding
# thread runs parquet-hadoop) against DuckDB's COPY (SELECT ...) TO 'x.parquet' (FORMAT parquet) of the same rows,
# same codec, same machine, same run. Target: ours >= 0.5 x DuckDB rows/s.
#
# Rows are ord_orders-shaped DynamoDB items turned into export rows (typed columns + item_json). Ours: rows are
# generated untimed in chunks of 4096 right before they are written (fresh in cache, as in a streaming export); each
# chunk is timed from its first write() until the writer's encoding thread has encoded all of it, then finish().
# DuckDB: the same rows are loaded from a JSONL file into a table first; only the COPY is timed. One warm-up each,
# then the median of RUNS.
#
# usage: bench/parquet-vs-duckdb.sh [rows, default 1000000] [codec zstd|snappy|gzip|uncompressed|lz4_raw, default zstd] [runs, default 3]
# env:   MVN_FLAGS (e.g. "-o" to build offline), JAVA_OPTS (default -Xmx2g)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
CODEC=${2:-zstd}
RUNS=${3:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} -pl exporter -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="exporter/target/test-classes:exporter/target/classes:lifecycle/target/classes:$(cat "$WORK/cp.txt")"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx2g} -cp "$CP" io.offboard.exporter.format.ParquetVsDuckDbBench "$ROWS" "$CODEC" "$RUNS" "$WORK/data"
