#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) on loopback, from
# Maven Central jars, for tests on machines without Docker. See README.md beside this file.
#   broker.sh fetch | start | stop | restart | status
# Env: KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (19093), KAFKA_DATA_DIR (/tmp/plt-kafka),
#      KAFKA_HEAP (512m), KAFKA_START_TIMEOUT (60 s), KAFKA_VERSION (pom.xml's kafka.version; 4.x),
#      KAFKA_JVM_OPTS (extra JVM flags), MAVEN_OPTS (passed to Maven as usual).
#      Optional authenticated listeners, off unless their port is set (the plaintext one stays):
#      KAFKA_SASL_PORT (SASL_PLAINTEXT, PLAIN mechanism), KAFKA_SASL_SSL_PORT (SASL_SSL, PLAIN, a
#      self-signed certificate for 127.0.0.1 made with keytool; its PEM is $KAFKA_DATA_DIR/tls/ca.pem),
#      one user KAFKA_SASL_PLAIN_USER (tracker) / KAFKA_SASL_PLAIN_PASSWORD (tracker-secret).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
version="${KAFKA_VERSION:-$pom_version}"
lib="$here/.lib/$version"
port="${KAFKA_PORT:-19092}"
controller_port="${KAFKA_CONTROLLER_PORT:-19093}"
data="${KAFKA_DATA_DIR:-/tmp/plt-kafka}"
sasl_port="${KAFKA_SASL_PORT:-}"
sasl_ssl_port="${KAFKA_SASL_SSL_PORT:-}"
sasl_user="${KAFKA_SASL_PLAIN_USER:-tracker}"
sasl_password="${KAFKA_SASL_PLAIN_PASSWORD:-tracker-secret}"
pid_file="$data/broker.pid"
log_file="$data/broker.log"

die() {
  echo "broker.sh: $*" >&2
  exit 1
}

# The jars are keyed by version and by the pom's content: a changed pom fetches again.
stamp() {
  echo "$version $(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
}

fetch() {
  if [[ -f "$lib/.fetched" && "$(cat "$lib/.fetched")" == "$(stamp)" ]]; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Kafka: apt-get install -y maven"
  echo "fetching Apache Kafka $version jars with Maven into $lib"
  local tmp="$lib.tmp.$$"
  rm -rf "$tmp"
  # MAVEN_OPTS is read by mvn itself; sed drops the colour resets Debian's Maven prints even with -B.
  if ! mvn -B -q -f "$here/pom.xml" -Dkafka.version="$version" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 |
    sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d'; then
    rm -rf "$tmp"
    die "Maven could not fetch Kafka $version"
  fi
  compgen -G "$tmp/kafka_2.13-$version.jar" >/dev/null || die "no kafka_2.13-$version.jar after fetching"
  stamp >"$tmp/.fetched"
  rm -rf "$lib"
  mv "$tmp" "$lib"
}

java_opts() {
  # shellcheck disable=SC2206 # KAFKA_JVM_OPTS is a list of flags
  local extra=(${KAFKA_JVM_OPTS:-})
  # C1 only and the serial collector: a broker that starts seconds sooner and leaves the CPU to
  # the tests; its steady-state speed does not matter here.
  printf '%s\n' -Xms128m -Xmx"${KAFKA_HEAP:-512m}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.properties" "${extra[@]}"
}

kafka_java() {
  local opts
  mapfile -t opts < <(java_opts)
  java "${opts[@]}" -cp "$lib/*" "$@"
}

# What `kafka-storage.sh random-uuid` prints (16 random bytes, base64url, no padding, not starting
# with '-'), without starting a JVM for it.
random_uuid() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    [[ "$id" != -* ]] && break
  done
  echo "$id"
}

# Our broker: the pid in the pid file is alive and is a Kafka broker (not a reused pid).
running() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

# A real protocol check with a Kafka client: the project's kafkajs (node), else kcat, else the
# Java AdminClient from the fetched jars.
answering() {
  if command -v node >/dev/null; then
    local rc=0
    KAFKA_CHECK_BROKER="127.0.0.1:$port" node "$here/check-broker.js" >/dev/null 2>&1 || rc=$?
    [[ $rc == 3 ]] || return "$rc"
  fi
  if command -v kcat >/dev/null; then
    kcat -b "127.0.0.1:$port" -L -m 3 2>/dev/null | grep -q "broker .* at 127.0.0.1:$port"
    return
  fi
  kafka_java "$here/CheckBroker.java" "127.0.0.1:$port" >/dev/null 2>&1
}

# The listeners beyond PLAINTEXT and CONTROLLER, as server.properties lines, for the ports set.
# PLAIN's users are the inline JAAS config's user_<name> entries; inter-broker traffic stays plaintext.
sasl_listeners() {
  local jaas="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$sasl_user\" password=\"$sasl_password\" user_$sasl_user=\"$sasl_password\";"
  local name
  for name in ${sasl_port:+sasl_plain} ${sasl_ssl_port:+sasl_tls}; do
    echo "listener.name.$name.sasl.enabled.mechanisms=PLAIN"
    echo "listener.name.$name.plain.sasl.jaas.config=$jaas"
  done
  if [[ -n "$sasl_ssl_port" ]]; then
    echo "listener.name.sasl_tls.ssl.keystore.type=PKCS12"
    echo "listener.name.sasl_tls.ssl.keystore.location=$data/tls/broker.p12"
    echo "listener.name.sasl_tls.ssl.keystore.password=$tls_password"
    echo "listener.name.sasl_tls.ssl.key.password=$tls_password"
  fi
}

# A self-signed certificate for 127.0.0.1 (the SASL_SSL listener's) and its PEM for clients to trust.
make_certificate() {
  mkdir -p "$data/tls"
  keytool -genkeypair -alias broker -keyalg EC -groupname secp256r1 -validity 30 -dname CN=127.0.0.1 \
    -ext SAN=ip:127.0.0.1 -keystore "$data/tls/broker.p12" -storetype PKCS12 \
    -storepass "$tls_password" -keypass "$tls_password" >>"$log_file" 2>&1 || die "keytool could not make a certificate"
  keytool -exportcert -rfc -alias broker -keystore "$data/tls/broker.p12" -storepass "$tls_password" \
    -file "$data/tls/ca.pem" >>"$log_file" 2>&1 || die "keytool could not export the certificate"
}

show_log() {
  {
    echo "--- first errors in $log_file:"
    grep -m 5 -E ' (ERROR|FATAL) |Exception:' "$log_file" || true
    echo "--- last lines of $log_file:"
    tail -n 25 "$log_file"
  } >&2
}

start() {
  if running; then
    if answering; then
      echo "broker already running (pid $(cat "$pid_file")), Kafka $version, data $data"
      echo "KAFKA_BROKERS=127.0.0.1:$port"
      return 0
    fi
    echo "broker process $(cat "$pid_file") is running but not answering; restarting it" >&2
    stop
  fi
  command -v java >/dev/null || die "Java 17+ is needed: apt-get install -y openjdk-17-jre-headless"
  fetch
  if answering; then
    die "something else already answers Kafka on 127.0.0.1:$port; set KAFKA_PORT or stop it"
  fi
  [[ -n "$data" && "$data" != "/" ]] || die "KAFKA_DATA_DIR must be a dedicated directory"
  if [[ -d "$data" && -n "$(ls -A "$data")" && ! -f "$data/server.properties" ]]; then
    die "$data is not empty and not a broker data directory; refusing to wipe it"
  fi
  rm -rf "$data"
  mkdir -p "$data/logs"
  local listeners="PLAINTEXT://127.0.0.1:$port" tls_password=""
  [[ -n "$sasl_port" ]] && listeners+=",SASL_PLAIN://127.0.0.1:$sasl_port"
  if [[ -n "$sasl_ssl_port" ]]; then
    command -v keytool >/dev/null || die "KAFKA_SASL_SSL_PORT needs keytool (a Java 17+ JDK or JRE)"
    listeners+=",SASL_TLS://127.0.0.1:$sasl_ssl_port"
    tls_password="$(random_uuid)"
    make_certificate
  fi
  cat >"$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
listeners=$listeners,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=$listeners
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAIN:SASL_PLAINTEXT,SASL_TLS:SASL_SSL
$(sasl_listeners)
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
log.dirs=$data/logs
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
num.network.threads=2
num.io.threads=4
PROPS
  local cluster_id started=$SECONDS
  cluster_id="$(random_uuid)"
  # Kafka 4.x KRaft: a single dynamic voter set formed by this node (--standalone).
  kafka_java kafka.tools.StorageTool format --standalone -t "$cluster_id" \
    -c "$data/server.properties" >"$log_file" 2>&1 || {
    cat "$log_file" >&2
    die "formatting the storage failed"
  }
  local opts
  mapfile -t opts < <(java_opts)
  nohup java "${opts[@]}" -cp "$lib/*" kafka.Kafka "$data/server.properties" >>"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-60}))
  until answering; do
    if ! running; then
      echo "the broker exited during start-up" >&2
      show_log
      rm -f "$pid_file"
      exit 1
    fi
    if ((SECONDS > deadline)); then
      echo "the broker did not answer on 127.0.0.1:$port within ${KAFKA_START_TIMEOUT:-60} s" >&2
      show_log
      stop >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "broker started in $((SECONDS - started)) s (pid $(cat "$pid_file")), Kafka $version, log $log_file"
  echo "KAFKA_BROKERS=127.0.0.1:$port"
  [[ -z "$sasl_port" ]] || echo "SASL_PLAINTEXT (PLAIN, user $sasl_user): 127.0.0.1:$sasl_port"
  [[ -z "$sasl_ssl_port" ]] || echo "SASL_SSL (PLAIN, user $sasl_user, CA $data/tls/ca.pem): 127.0.0.1:$sasl_ssl_port"
}

stop() {
  if ! running; then
    rm -f "$pid_file"
    echo "broker not running"
    return 0
  fi
  local pid
  pid="$(cat "$pid_file")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "broker did not stop within 30 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
  fi
  rm -f "$pid_file"
  echo "broker stopped"
}

status() {
  if running && answering; then
    echo "broker running (pid $(cat "$pid_file")) on 127.0.0.1:$port, Kafka $version"
  else
    echo "broker not running" >&2
    return 1
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status) status ;;
  *)
    echo "usage: $0 fetch|start|stop|restart|status" >&2
    exit 2
    ;;
esac
