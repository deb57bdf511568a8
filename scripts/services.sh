#!/usr/bin/env bash
# Installs and runs the real backing services of the HcmCity tests (PostgreSQL+PostGIS, Redis, mosquitto,
# InfluxDB) as plain background processes on 127.0.0.1: this machine has neither systemd nor Docker.
#
#   scripts/services.sh start|stop|restart|status [postgres|redis|mosquitto|influxdb ...]
#   eval "$(scripts/services.sh env)"
#
# Data, configs, pidfiles and logs live in $HCM_SERVICES_DIR (default: <repo>/.services, git-ignored).
# Ports: HCM_PG_PORT, HCM_REDIS_PORT, HCM_MQTT_PORT, HCM_INFLUX_PORT, HCM_INFLUX_RPC_PORT.
# PostgreSQL has three roles: hcmcity (superuser, for the fixtures), hcmcity_owner (owns a schema, runs migrations)
# and hcmcity_app (the application's role, which owns nothing); `env` prints HCM_TEST_POSTGRES{,_OWNER,_APP}.
# mosquitto runs its dynamic-security plugin: an admin client (managing accounts) and the gateway's client, whose
# credentials `env` prints (HCM_TEST_MQTT_ADMIN_*, HCM_TEST_MQTT_GATEWAY_*).
# `status` exits 1 when a named service is not running and ready.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATES=$REPO/scripts/services
DIR=$(realpath -m "${HCM_SERVICES_DIR:-$REPO/.services}")
PG_PORT=${HCM_PG_PORT:-55432}
REDIS_PORT=${HCM_REDIS_PORT:-56379}
MQTT_PORT=${HCM_MQTT_PORT:-51883}
INFLUX_PORT=${HCM_INFLUX_PORT:-58086}
INFLUX_RPC_PORT=${HCM_INFLUX_RPC_PORT:-58088}
TIMEOUT=${HCM_SERVICES_TIMEOUT:-60}
# Test-only credentials, like PostgreSQL's hcmcity/hcmcity: the broker listens on 127.0.0.1 only.
MQTT_ADMIN_USER=hcm-admin
MQTT_ADMIN_PASSWORD=hcmcity-admin
MQTT_GATEWAY_USER=hcm-gateway
MQTT_GATEWAY_PASSWORD=hcmcity-gateway
PG_BIN=/usr/lib/postgresql/15/bin
POLICY_RC=/usr/sbin/policy-rc.d
SERVICES=(postgres redis mosquitto influxdb)
# curl (InfluxDB's HTTP API) and procps (pkill) are for this script itself; slim images lack them.
PACKAGES=(postgresql-15 postgresql-15-postgis-3 redis-server mosquitto mosquitto-clients influxdb
  proj-bin gdal-bin chromium curl procps)

die() {
  echo "services: $*" >&2
  exit 1
}

port_of() {
  case $1 in
    postgres) echo "$PG_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    mosquitto) echo "$MQTT_PORT" ;;
    influxdb) echo "$INFLUX_PORT" ;;
  esac
}

log_of() { echo "$DIR/$1/$1.log"; }

pidfile_of() {
  if [[ $1 == postgres ]]; then
    echo "$DIR/postgres/data/postmaster.pid"
  else
    echo "$DIR/$1/$1.pid"
  fi
}

# The pid recorded for a service, if that process is still alive and is the right program: after a machine
# restart a stale pidfile may name a pid that now belongs to something else.
pid_of() {
  local file pid comm
  file=$(pidfile_of "$1")
  [[ -r $file ]] || return 1
  read -r pid <"$file" || return 1
  case $1 in
    postgres) comm=postgres ;;
    redis) comm=redis-server ;;
    mosquitto) comm=mosquitto ;;
    influxdb) comm=influxd ;;
  esac
  [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == "$comm" ]] && alive "$pid" || return 1
  echo "$pid"
}

# A killed daemon stays a zombie until init reaps it.
alive() {
  local state
  { read -r _ _ state _ <"/proc/$1/stat"; } 2>/dev/null && [[ $state != Z ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ready() {
  local port
  port=$(port_of "$1")
  case $1 in
    postgres) "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres ;;
    redis) [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] ;;
    # A QoS 1 publish succeeds only once the broker has authenticated us and acknowledged it: a full MQTT round
    # trip. (The admin may not publish there: with MQTT 3.1.1 the broker acknowledges and drops the message.)
    mosquitto) mosquitto_pub -h 127.0.0.1 -p "$port" -u "$MQTT_ADMIN_USER" -P "$MQTT_ADMIN_PASSWORD" \
      -q 1 -t hcmcity/services/ready -n 2>/dev/null ;;
    influxdb) [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ping") == 204 ]] ;;
  esac
}

wait_ready() {
  local pid deadline=$((SECONDS + TIMEOUT))
  # Liveness by pid alone: just after launch the process may still be setsid, not yet the daemon.
  read -r pid 2>/dev/null <"$(pidfile_of "$1")" || pid=0
  until ready "$1"; do
    alive "$pid" || die "$1 exited during start-up; see $(log_of "$1")"
    ((SECONDS < deadline)) || die "$1 not ready on 127.0.0.1:$(port_of "$1") after ${TIMEOUT}s; see $(log_of "$1")"
    sleep 0.5
  done
}

# render TEMPLATE DEST KEY=VALUE...: copies a template from scripts/services, replacing each @KEY@.
render() {
  local subst=() kv
  for kv in "${@:3}"; do
    subst+=(-e "s|@${kv%%=*}@|${kv#*=}|g")
  done
  sed "${subst[@]}" "$TEMPLATES/$1" >"$2"
}

install_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) == installed ]] || missing+=("$pkg")
  done
  ((${#missing[@]} > 0)) || return 0
  echo "services: installing ${missing[*]}"
  apt-get update
  # Package scripts would otherwise start Debian's own daemons on the default ports; we run ours instead.
  if [[ ! -e $POLICY_RC ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC"
    chmod +x "$POLICY_RC"
    trap 'rm -f "$POLICY_RC"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# PostgreSQL refuses to run as root; as root we run it as the postgres user, from a directory it may enter.
as_postgres() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@" 9>&-)
  else
    "$@" 9>&-
  fi
}

start_postgres() {
  local home=$DIR/postgres data=$DIR/postgres/data
  mkdir -p "$home"
  ((EUID != 0)) || chown postgres: "$home"
  as_postgres test -w "$home" ||
    die "user postgres cannot write $home; set HCM_SERVICES_DIR to a directory it can reach"
  if [[ ! -s $data/PG_VERSION ]]; then
    as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$home/initdb.log" || die "postgres initdb failed; see $home/initdb.log"
  fi
  render postgresql.conf "$data/postgresql.conf" PORT="$PG_PORT"
  cp "$TEMPLATES/pg_hba.conf" "$data/pg_hba.conf"
  ((EUID != 0)) || chown postgres: "$data/postgresql.conf" "$data/pg_hba.conf"
  # Processes orphaned by a killed postmaster hold its shared memory, and a new postmaster refuses to start
  # beside them. A backend busy in a long query notices its parent's death only when the query ends, so we
  # send SIGQUIT, as the postmaster itself does in an immediate shutdown.
  local orphans="^postgres: hcmcity-test-$PG_PORT: " deadline=$((SECONDS + TIMEOUT))
  while pkill -QUIT -f "$orphans"; do
    ((SECONDS < deadline)) || die "postgres: old server processes still running: pgrep -af '$orphans'"
    sleep 0.2
  done
  as_postgres "$PG_BIN/pg_ctl" start -D "$data" -l "$(log_of postgres)" -w -t "$TIMEOUT" -s ||
    die "postgres did not start; see $(log_of postgres)"
}

start_daemon() {
  local name=$1 home=$DIR/$1
  mkdir -p "$home"
  case $name in
    redis)
      render redis.conf "$home/redis.conf" PORT="$REDIS_PORT" DIR="$home"
      set -- redis-server "$home/redis.conf"
      ;;
    mosquitto)
      local plugin
      plugin=$(compgen -G "/usr/lib/*/mosquitto_dynamic_security.so" | head -n 1) ||
        die "mosquitto_dynamic_security.so not found (package mosquitto 2)"
      # The plugin keeps its clients and roles in this file, so provisioned devices survive a restart.
      if [[ ! -s $home/dynamic-security.json ]]; then
        mosquitto_ctrl dynsec init "$home/dynamic-security.json" "$MQTT_ADMIN_USER" "$MQTT_ADMIN_PASSWORD" >/dev/null ||
          die "mosquitto_ctrl dynsec init failed"
      fi
      render mosquitto.conf "$home/mosquitto.conf" PORT="$MQTT_PORT" DIR="$home" PLUGIN="$plugin"
      set -- mosquitto -c "$home/mosquitto.conf"
      ;;
    influxdb)
      render influxdb.conf "$home/influxdb.conf" PORT="$INFLUX_PORT" RPC_PORT="$INFLUX_RPC_PORT" DIR="$home"
      set -- influxd run -config "$home/influxdb.conf"
      ;;
  esac
  # Its own session, so the daemon outlives this script and the terminal or job that ran it. The pid is
  # recorded here rather than by the daemon, so it exists as soon as this returns.
  setsid "$@" </dev/null >>"$(log_of "$name")" 2>&1 9>&- &
  echo $! >"$(pidfile_of "$name")"
}

start() {
  local how=started
  if pid_of "$1" >/dev/null; then
    how="already running"
  else
    ! port_open "$(port_of "$1")" ||
      die "$1: port $(port_of "$1") on 127.0.0.1 is taken by a process this script did not start"
    if [[ $1 == postgres ]]; then
      # A postmaster.pid naming a pid that is not a postgres process is stale (machine restart or kill -9).
      rm -f "$(pidfile_of postgres)"
      start_postgres
    else
      start_daemon "$1"
    fi
  fi
  wait_ready "$1"
  case $1 in
    postgres)
      PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -f "$TEMPLATES/postgres-init.sql"
      ;;
    influxdb)
      curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode 'q=CREATE DATABASE hcmcity'
      ;;
    mosquitto) dynsec_gateway ;;
  esac
  echo "$1: ready on 127.0.0.1:$(port_of "$1") (pid $(pid_of "$1"), $how)"
}

# The gateway's account on the dynamic-security plugin: it may subscribe to every device's telemetry, directly or
# through a shared subscription group, and publish nothing. Idempotent: "already exists" answers are fine, and the
# password is set again in case it changed.
dynsec_gateway() {
  local topic='hcm/devices/+/telemetry' response
  response=$(mosquitto_rr -h 127.0.0.1 -p "$MQTT_PORT" -u "$MQTT_ADMIN_USER" -P "$MQTT_ADMIN_PASSWORD" -W "$TIMEOUT" \
    -t '$CONTROL/dynamic-security/v1' -e '$CONTROL/dynamic-security/v1/response' -m "{\"commands\":[
      {\"command\":\"createRole\",\"rolename\":\"hcm-gateway\",\"acls\":[
        {\"acltype\":\"subscribePattern\",\"topic\":\"$topic\",\"allow\":true},
        {\"acltype\":\"subscribePattern\",\"topic\":\"\$share/+/$topic\",\"allow\":true}]},
      {\"command\":\"createClient\",\"username\":\"$MQTT_GATEWAY_USER\",\"password\":\"$MQTT_GATEWAY_PASSWORD\",
        \"roles\":[{\"rolename\":\"hcm-gateway\"}]},
      {\"command\":\"setClientPassword\",\"username\":\"$MQTT_GATEWAY_USER\",\"password\":\"$MQTT_GATEWAY_PASSWORD\"}]}") ||
    die "mosquitto: no answer from the dynamic-security plugin; see $(log_of mosquitto)"
  if grep -o '"error":"[^"]*"' <<<"$response" | grep -qv 'already exists'; then
    die "mosquitto: dynamic security refused the gateway account: $response"
  fi
}

stop() {
  local pid deadline=$((SECONDS + TIMEOUT))
  if ! pid=$(pid_of "$1"); then
    echo "$1: not running"
    return 0
  fi
  if [[ $1 == postgres ]]; then
    as_postgres "$PG_BIN/pg_ctl" stop -D "$DIR/postgres/data" -m fast -w -t "$TIMEOUT" -s
  else
    kill -TERM "$pid"
    while alive "$pid" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if alive "$pid"; then
      echo "$1: still running after ${TIMEOUT}s, killing it" >&2
      kill -KILL "$pid"
      while alive "$pid"; do
        sleep 0.1
      done
    fi
    rm -f "$(pidfile_of "$1")"
  fi
  echo "$1: stopped"
}

status() {
  local pid
  if ! pid=$(pid_of "$1"); then
    printf '%-10s stopped\n' "$1"
    return 1
  elif ready "$1"; then
    printf '%-10s running (pid %s), ready on 127.0.0.1:%s\n' "$1" "$pid" "$(port_of "$1")"
  else
    printf '%-10s running (pid %s), NOT answering on 127.0.0.1:%s; see %s\n' \
      "$1" "$pid" "$(port_of "$1")" "$(log_of "$1")"
    return 1
  fi
}

print_env() {
  echo "export HCM_TEST_POSTGRES=\"Host=127.0.0.1;Port=$PG_PORT;Username=hcmcity;Password=hcmcity;Database=hcmcity\""
  echo "export HCM_TEST_POSTGRES_OWNER=\"Host=127.0.0.1;Port=$PG_PORT;Username=hcmcity_owner;Password=hcmcity_owner;Database=hcmcity\""
  echo "export HCM_TEST_POSTGRES_APP=\"Host=127.0.0.1;Port=$PG_PORT;Username=hcmcity_app;Password=hcmcity_app;Database=hcmcity\""
  echo "export HCM_TEST_REDIS=\"127.0.0.1:$REDIS_PORT\""
  echo "export HCM_TEST_MQTT=\"127.0.0.1:$MQTT_PORT\""
  echo "export HCM_TEST_MQTT_ADMIN_USERNAME=\"$MQTT_ADMIN_USER\""
  echo "export HCM_TEST_MQTT_ADMIN_PASSWORD=\"$MQTT_ADMIN_PASSWORD\""
  echo "export HCM_TEST_MQTT_GATEWAY_USERNAME=\"$MQTT_GATEWAY_USER\""
  echo "export HCM_TEST_MQTT_GATEWAY_PASSWORD=\"$MQTT_GATEWAY_PASSWORD\""
  echo "export HCM_TEST_INFLUX=\"http://127.0.0.1:$INFLUX_PORT\""
}

usage() {
  echo "usage: $0 start|stop|restart|status [${SERVICES[*]}] | env" >&2
  exit 2
}

main() {
  local command=${1:-} name failed=0
  [[ $command =~ ^(start|stop|restart|status|env)$ ]] || usage
  shift
  if [[ $command == env ]]; then
    (($# == 0)) || usage
    print_env
    return
  fi
  (($# > 0)) || set -- "${SERVICES[@]}"
  for name in "$@"; do
    [[ " ${SERVICES[*]} " == *" $name "* ]] || usage
  done
  if [[ $command != status ]]; then
    # One start/stop at a time per services dir: parallel test runs would otherwise launch a daemon twice
    # and lose track of the one that owns the port. Daemons must not inherit the lock (fd 9).
    mkdir -p "$DIR"
    exec 9>"$DIR/.lock"
    flock -w "$TIMEOUT" 9 || die "another services.sh still holds $DIR/.lock after ${TIMEOUT}s"
  fi
  [[ $command == stop || $command == status ]] || install_packages
  for name in "$@"; do
    case $command in
      start) start "$name" ;;
      stop) stop "$name" ;;
      restart) stop "$name"; start "$name" ;;
      status) status "$name" || failed=1 ;;
    esac
  done
  return "$failed"
}

main "$@"
