#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller) on loopback, from Maven
# Central jars, for tests on machines without Docker.
#   broker.sh fetch | start | stop | status
# Env: KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (19093), KAFKA_DATA_DIR (/tmp/plt-kafka),
#      KAFKA_HEAP (512m), KAFKA_START_TIMEOUT (90 seconds).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="$here/.lib"
port="${KAFKA_PORT:-19092}"
controller_port="${KAFKA_CONTROLLER_PORT:-19093}"
data="${KAFKA_DATA_DIR:-/tmp/plt-kafka}"
pid_file="$data/broker.pid"
log_file="$data/broker.log"
classpath="$lib/*"

fetch() {
  if compgen -G "$lib/kafka_2.13-*.jar" >/dev/null; then return 0; fi
  echo "fetching the Kafka broker jars with Maven into $lib"
  mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$lib"
}

running() {
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# A real protocol check: a Kafka client (the project's kafkajs) gets the cluster's metadata.
answering() {
  KAFKA_CHECK_BROKER="127.0.0.1:$port" node "$here/check-broker.js" >/dev/null 2>&1
}

start() {
  if running; then
    echo "broker already running (pid $(cat "$pid_file"))"
    echo "KAFKA_BROKERS=127.0.0.1:$port"
    return 0
  fi
  fetch
  rm -rf "$data"
  mkdir -p "$data/logs"
  cat >"$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
log.dirs=$data/logs
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
PROPS
  local java_opts=(-Xmx"${KAFKA_HEAP:-512m}" -Dlog4j2.configurationFile="$here/log4j2.properties")
  local cluster_id
  cluster_id="$(java "${java_opts[@]}" -cp "$classpath" kafka.tools.StorageTool random-uuid)"
  java "${java_opts[@]}" -cp "$classpath" kafka.tools.StorageTool format --standalone \
    -t "$cluster_id" -c "$data/server.properties" >"$log_file" 2>&1
  nohup java "${java_opts[@]}" -cp "$classpath" kafka.Kafka "$data/server.properties" >>"$log_file" 2>&1 &
  echo $! >"$pid_file"
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  until answering; do
    if ! running; then
      echo "the broker exited during start-up; its log:" >&2
      tail -n 40 "$log_file" >&2
      exit 1
    fi
    if ((SECONDS > deadline)); then
      echo "the broker did not answer on 127.0.0.1:$port in time; its log:" >&2
      tail -n 40 "$log_file" >&2
      stop
      exit 1
    fi
    sleep 1
  done
  echo "broker started (pid $(cat "$pid_file")), log: $log_file"
  echo "KAFKA_BROKERS=127.0.0.1:$port"
}

stop() {
  if ! running; then
    rm -f "$pid_file"
    echo "broker not running"
    return 0
  fi
  local pid
  pid="$(cat "$pid_file")"
  kill -TERM "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "broker did not stop in 30 s; killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$pid_file"
  echo "broker stopped"
}

status() {
  if running && answering; then
    echo "broker running (pid $(cat "$pid_file")) on 127.0.0.1:$port"
  else
    echo "broker not running" >&2
    return 1
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 fetch|start|stop|status" >&2
    exit 2
    ;;
esac
