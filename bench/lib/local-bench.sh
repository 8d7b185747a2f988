# Sourced by the bench scripts that run a bench class of local/ (local/src/test/java/io/offboard/local/bench) in a
# JVM of their own. The caller sets MVN and WORK and has cd'ed to the checkout's root.
#
# compile_local_bench CLASS: builds the modules (mvn package, tests skipped) unless SKIP_BUILD=1, compiles CLASS.java
# alone into $WORK/bench-classes and sets CP to this checkout's module classes and their dependencies; run it with
# java -cp "$WORK/bench-classes:$CP" io.offboard.local.bench.CLASS ...
compile_local_bench() {
  if [ "${SKIP_BUILD:-}" != 1 ]; then
    echo "building (mvn package, tests skipped) ..." >&2
    $MVN package -Dmaven.test.skip=true >&2
  fi
  $MVN dependency:build-classpath -pl local -Dmdep.outputFile="$WORK/cp.txt" >&2
  mkdir -p "$WORK/bench-classes"
  # this checkout's modules, not whatever io.offboard jars ~/.m2 holds
  local deps
  deps=$(tr ':' '\n' < "$WORK/cp.txt" | grep -v '/io/offboard/' | paste -sd: -)
  CP="lifecycle/target/classes:exporter/target/classes:bot/target/classes:local/target/classes:$deps"
  javac -nowarn -d "$WORK/bench-classes" -cp "$CP" "local/src/test/java/io/offboard/local/bench/$1.java"
}
