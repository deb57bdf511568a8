#!/bin/sh
# One-shot set-up of mosquitto's dynamic-security plugin (docker-compose service mosquitto-init): creates the
# plugin's file with the admin client the platform manages device accounts with (MQTT_ADMIN_PASSWORD), then, on a
# broker of its own on a local port, the gateway's client (MQTT_GATEWAY_PASSWORD), which may subscribe to every
# device's telemetry, directly or through a $share group. Idempotent: run at every `docker compose up`.
set -eu
FILE=/mosquitto/data/dynamic-security.json
: "${MQTT_ADMIN_PASSWORD:?set MQTT_ADMIN_PASSWORD}" "${MQTT_GATEWAY_PASSWORD:?set MQTT_GATEWAY_PASSWORD}"
if [ ! -s "$FILE" ]; then
  mosquitto_ctrl dynsec init "$FILE" hcm-admin "$MQTT_ADMIN_PASSWORD"
fi
cat >/tmp/init.conf <<CONF
listener 11883 127.0.0.1
allow_anonymous false
plugin /usr/lib/mosquitto_dynamic_security.so
plugin_opt_config_file $FILE
CONF
mosquitto -c /tmp/init.conf &
broker=$!
trap 'kill $broker' EXIT
sleep 1
ctrl() { mosquitto_ctrl -h 127.0.0.1 -p 11883 -u hcm-admin -P "$MQTT_ADMIN_PASSWORD" dynsec "$@"; }
if ! ctrl getRole hcm-gateway >/dev/null 2>&1; then
  ctrl createRole hcm-gateway
  ctrl addRoleACL hcm-gateway subscribePattern 'hcm/devices/+/telemetry' allow
  ctrl addRoleACL hcm-gateway subscribePattern '$share/+/hcm/devices/+/telemetry' allow
fi
if ! ctrl getClient hcm-gateway >/dev/null 2>&1; then
  ctrl createClient hcm-gateway -p "$MQTT_GATEWAY_PASSWORD"
  ctrl addClientRole hcm-gateway hcm-gateway
else
  ctrl setClientPassword hcm-gateway "$MQTT_GATEWAY_PASSWORD"
fi
