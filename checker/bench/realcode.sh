#!/usr/bin/env bash
# lockcheck on real code (issue 12): fetches the source jars of Kafka, Jetty, ZooKeeper and Netty from
# Maven Central with curl (and test-sources where published), unpacks each into $REALCODE/src/<tree>,
# and runs lockcheck over each tree and over all together with its default heap and no resident
# checker, under GNU time: wall time, peak RSS, findings, inputs that could not be analysed.
#
#   checker/bench/realcode.sh [fetch|run|all] [TREE...]     (default: all; trees: kafka jetty zookeeper netty all jdk)
#   old releases with known bugs (checker/docs/real-bugs.md): bugs-ratis bugs-zookeeper-3.4 bugs-zookeeper-3.5
#   bugs-jetty-9.4 bugs-kafka-2.0 bugs-pgjdbc
#   trees it was not tuned on (a check that the tuning generalises): tomcat hadoop hbase cassandra activemq
#   REALCODE=/work/realcode (default: checker/target/realcode); nothing is written into the repository's sources.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
realcode=${REALCODE:-$root/checker/target/realcode}
central=https://repo1.maven.org/maven2
what=${1:-all}
shift || true
trees=("$@")
[ ${#trees[@]} -gt 0 ] || trees=(kafka jetty zookeeper netty all jdk)

# tree  group:artifact:version ...
declare -A artifacts=(
  [kafka]="org.apache.kafka:kafka-clients:4.1.1 org.apache.kafka:kafka-streams:4.1.1 org.apache.kafka:connect-runtime:4.1.1
           org.apache.kafka:connect-api:4.1.1 org.apache.kafka:kafka-raft:4.1.1 org.apache.kafka:kafka-metadata:4.1.1
           org.apache.kafka:kafka-group-coordinator:4.1.1
           org.apache.kafka:kafka-storage:4.1.1 org.apache.kafka:kafka-server-common:4.1.1"
  [jetty]="org.eclipse.jetty:jetty-server:12.1.5 org.eclipse.jetty:jetty-security:12.1.5 org.eclipse.jetty:jetty-util:12.1.5
           org.eclipse.jetty:jetty-io:12.1.5 org.eclipse.jetty:jetty-http:12.1.5 org.eclipse.jetty.ee9:jetty-ee9-nested:12.1.5"
  [zookeeper]="org.apache.zookeeper:zookeeper:3.9.4 org.apache.zookeeper:zookeeper-jute:3.9.4"
  # old releases with known bugs (checker/docs/real-bugs.md); not in the default list
  [bugs-ratis]="org.apache.ratis:ratis-server:3.1.0"
  [bugs-zookeeper-3.4]="org.apache.zookeeper:zookeeper:3.4.6"
  [bugs-zookeeper-3.5]="org.apache.zookeeper:zookeeper:3.5.5"
  [bugs-jetty-9.4]="org.eclipse.jetty:jetty-server:9.4.40.v20210413 org.eclipse.jetty:jetty-util:9.4.40.v20210413"
  [bugs-kafka-2.0]="org.apache.kafka:kafka-clients:2.0.0"
  [bugs-pgjdbc]="org.postgresql:postgresql:42.2.20"
  # large trees it was never tuned on; not in the default list
  [tomcat]="org.apache.tomcat.embed:tomcat-embed-core:11.0.15"
  [hadoop]="org.apache.hadoop:hadoop-common:3.5.0"
  [hbase]="org.apache.hbase:hbase-server:2.6.4"
  [cassandra]="org.apache.cassandra:cassandra-all:5.0.9"
  [activemq]="org.apache.activemq:activemq-broker:6.2.0 org.apache.activemq:activemq-client:6.2.0"
  [netty]="io.netty:netty-common:4.2.7.Final io.netty:netty-buffer:4.2.7.Final io.netty:netty-transport:4.2.7.Final
           io.netty:netty-handler:4.2.7.Final io.netty:netty-codec-base:4.2.7.Final
           io.netty:netty-codec-http:4.2.7.Final io.netty:netty-codec-http2:4.2.7.Final io.netty:netty-resolver:4.2.7.Final
           io.netty:netty-resolver-dns:4.2.7.Final io.netty:netty-transport-classes-epoll:4.2.7.Final"
)

fetch() { # fetch TREE: every artifact's -sources.jar (and -test-sources.jar when Central has one)
  local tree=$1 gav g a v path jar classifier
  mkdir -p "$realcode/jars" "$realcode/src/$tree"
  for gav in ${artifacts[$tree]}; do
    IFS=: read -r g a v <<<"$gav"
    path="${g//.//}/$a/$v"
    for classifier in sources test-sources; do
      jar="$realcode/jars/$a-$v-$classifier.jar"
      if [ ! -s "$jar" ]; then
        if ! curl -sfL -o "$jar.tmp" "$central/$path/$a-$v-$classifier.jar"; then
          rm -f "$jar.tmp"
          [ "$classifier" = sources ] && { echo "realcode: $a-$v-sources.jar not on Central" >&2; exit 2; }
          continue
        fi
        mv "$jar.tmp" "$jar"
      fi
      mkdir -p "$realcode/src/$tree/$a-$classifier"
      (cd "$realcode/src/$tree/$a-$classifier" && unzip -qo "$jar" '*.java' 2>/dev/null || true)
    done
  done
}

fetch_jdk() { # the running JDK's own sources (lib/src.zip): every module
  source "$root/scripts/find-jdk.sh"
  find_jdk
  if [ ! -d "$realcode/src/jdk/java.base" ]; then
    mkdir -p "$realcode/src/jdk"
    (cd "$realcode/src/jdk" && unzip -qo "$JDK_HOME/lib/src.zip" '*.java')
  fi
}

run() { # run TREE: lockcheck over the tree, default heap, new JVM, under GNU time
  local tree=$1 dir out rc
  if [ "$tree" = all ]; then dir=("$realcode/src/kafka" "$realcode/src/jetty" "$realcode/src/zookeeper" "$realcode/src/netty")
  else dir=("$realcode/src/$tree"); fi
  out="$realcode/out/$tree"
  mkdir -p "$out"
  rc=0
  LOCKCHECK_DAEMON=0 /usr/bin/time -f '%e %M' -o "$out/time.txt" \
    "$root/lockcheck" --no-daemon --format json --output "$out/findings.json" "${dir[@]}" 2>"$out/stderr.txt" || rc=$?
  read -r secs kb < <(tail -1 "$out/time.txt")
  local files findings problems
  files=$(find "${dir[@]}" -name '*.java' | wc -l)
  findings=$(grep -m1 -o '"findings" : [0-9]*' "$out/findings.json" | grep -o '[0-9]*$' || echo '?')
  problems=$(grep -m1 -o '"problems" : [0-9]*' "$out/findings.json" | grep -o '[0-9]*$' || echo '?')
  printf '%-10s %6d files  %5s findings  %3s problems  exit %d  %6.1f s  peak RSS %5d MB\n' \
    "$tree" "$files" "$findings" "$problems" "$rc" "$secs" "$((kb / 1024))"
}

"$root/lockcheck" --no-daemon --version >/dev/null   # build first: not timed
for tree in "${trees[@]}"; do
  case $what in
    fetch|all) case $tree in jdk) fetch_jdk ;; all) ;; *) fetch "$tree" ;; esac ;;
  esac
done
for tree in "${trees[@]}"; do
  case $what in run|all) run "$tree" ;; esac
done
