#!/usr/bin/env bash
# The Docker path, run for real: Debian's docker.io + docker-compose, a dockerd of our own, the
# project's image built from infra/Dockerfile on a base image made here with debootstrap (no image
# registry is reachable), the compose file scaled to 3 workers and 2 mailers on host networking
# against this machine's PostgreSQL and Redis and an SMTP sink, then a reader's whole path:
# sign-up, confirmation, `paperboy digest run-now` inside a container, the digest at the sink.
# Only 127.0.0.1 is ever talked to (plus Debian's and npm's registries while building).
#
#   bash infra/ci/compose-smoke.sh          (as root; called by .ci/run)
#
# Env: PAPERBOY_SMOKE_CACHE (default /var/cache/paperboy-smoke) keeps the debootstrap rootfs and
# dockerd's data (images, build cache) between runs, so a second run builds only what changed;
# PAPERBOY_SMOKE_READERS (default 300) readers sign up, so the 3 compose batches and
# the mail spread over the replicas; PAPERBOY_SMOKE_KEEP=1 leaves the temp folder for a post-mortem.
set -euo pipefail
cd "$(dirname "$0")/../.."

START=$(date +%s)
READERS=${PAPERBOY_SMOKE_READERS:-300}
CACHE=${PAPERBOY_SMOKE_CACHE:-/var/cache/paperboy-smoke}
WORK=$(mktemp -d /tmp/paperboy-smoke.XXXXXX)
DATA_ROOT="$CACHE/docker"
SMOKE_DATABASE=paperboy_smoke
SMOKE_PREFIX='{paperboy-smoke}'
PROJECT=paperboysmoke
COMPOSE=(docker-compose -p "$PROJECT" -f docker-compose.yml -f infra/compose.ci.yml)
# BuildKit (built into dockerd 20.10; no frontend image needed without a `# syntax` line) writes
# far fewer vfs layers than the classic builder, whose every instruction copies the whole rootfs.
export DOCKER_HOST="unix://$WORK/docker.sock" DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-1} SMOKE_DATABASE
# Creating a container copies the whole image with vfs; docker-compose's 60 s default is too short.
export COMPOSE_HTTP_TIMEOUT=600

say() { echo "compose smoke [$(($(date +%s) - START))s]: $*"; }
fail() {
  echo "compose smoke: FAILED after $(($(date +%s) - START))s: $*" >&2
  exit 1
}

# ---- tools (Debian's packages; the docker client that ships with docker.io matches its daemon)
if ! command -v dockerd >/dev/null || [ ! -x /usr/bin/docker ] || ! command -v docker-compose >/dev/null ||
  ! command -v debootstrap >/dev/null; then
  say "installing docker.io, docker-compose, debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    docker.io docker-compose debootstrap >/dev/null
fi
docker() { /usr/bin/docker "$@"; }

# ---- cleanup, also on failure: compose down, sink and dockerd stopped by their PIDs, data dropped
DOCKERD_PID=
SINK_PID=
cleanup() {
  local code=$?
  set +e
  if [ "$code" -ne 0 ] && [ -n "$DOCKERD_PID" ]; then
    echo "---- last compose logs ----" >&2
    "${COMPOSE[@]}" logs --no-color --tail=40 >&2 2>&1
  fi
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
  if [ -n "$DOCKERD_PID" ]; then
    "${COMPOSE[@]}" down --remove-orphans --timeout 20 >/dev/null 2>&1
    # Images this build replaced go; the build cache stays (bounded) for the next run.
    docker image prune -f >/dev/null 2>&1
    docker builder prune -f --keep-storage 4GB >/dev/null 2>&1
    kill "$DOCKERD_PID" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$DOCKERD_PID" 2>/dev/null
    # dockerd leaves its network namespace and its data root's own bind mount behind.
    umount "$WORK/exec/netns/default" 2>/dev/null
    mountpoint -q "$DATA_ROOT" && umount "$DATA_ROOT"
  fi
  dropdb -h 127.0.0.1 --if-exists "$SMOKE_DATABASE" 2>/dev/null
  redis-cli -h 127.0.0.1 --raw keys "$SMOKE_PREFIX*" | xargs -r -n 500 redis-cli -h 127.0.0.1 del >/dev/null
  if [ "${PAPERBOY_SMOKE_KEEP:-0}" = 1 ]; then echo "compose smoke: kept $WORK" >&2; else
    rm -rf "$WORK"
  fi
  return "$code"
}
trap cleanup EXIT

# A previous run that was killed may have left data behind.
dropdb -h 127.0.0.1 --if-exists "$SMOKE_DATABASE"
redis-cli -h 127.0.0.1 --raw keys "$SMOKE_PREFIX*" | xargs -r -n 500 redis-cli -h 127.0.0.1 del >/dev/null

# ---- our own dockerd: vfs (works on any filesystem), no bridge, no iptables; host networking only
other=$(pgrep -f -- "--data-root $DATA_ROOT" || true)
[ -z "$other" ] || fail "a dockerd (PID $other) already uses $DATA_ROOT: another smoke run? stop it first"
mkdir -p "$DATA_ROOT"
say "starting dockerd (data in $DATA_ROOT, sockets in $WORK)"
dockerd --storage-driver=vfs --bridge=none --iptables=false --ip-masq=false \
  --data-root "$DATA_ROOT" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" \
  --host "$DOCKER_HOST" >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
docker info >/dev/null 2>&1 || { tail -20 "$WORK/dockerd.log" >&2; fail "dockerd did not come up"; }
# Containers of a run that was killed before its cleanup.
"${COMPOSE[@]}" down --remove-orphans --timeout 5 >/dev/null 2>&1 || true

# ---- base image: debootstrap minbase (cached as a tarball) + this machine's node, npm, CA bundle
ROOTFS_TAR="$CACHE/bookworm-minbase-tini.tar"
if [ ! -s "$ROOTFS_TAR" ]; then
  say "debootstrap bookworm minbase (cached in $CACHE for the next run)"
  mkdir -p "$CACHE"
  debootstrap --variant=minbase --include=tini bookworm "$WORK/rootfs" http://deb.debian.org/debian \
    >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap failed"; }
  rm -rf "$WORK/rootfs"/var/cache/apt/archives/*.deb "$WORK/rootfs"/var/lib/apt/lists/* \
    "$WORK/rootfs"/usr/share/doc/* "$WORK/rootfs"/usr/share/man/* "$WORK/rootfs"/usr/share/locale/*
  tar -C "$WORK/rootfs" -cf "$ROOTFS_TAR.tmp" . && mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$WORK/rootfs"
fi
NODE_BIN=$(readlink -f "$(command -v node)")
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$NPM_DIR/package.json" ] || fail "cannot find npm's folder (looked in $NPM_DIR)"
say "base image: rootfs + node $(node --version) ($NODE_BIN) + npm $(npm --version) + CA bundle"
BASE_KEY="node $(node --version), npm $(npm --version), $(sha256sum "$ROOTFS_TAR" /etc/ssl/certs/ca-certificates.crt | sha256sum | cut -c1-12)"
if [ "$(docker image inspect paperboy-base:ci --format '{{index .Config.Labels "paperboy.node"}}' 2>/dev/null)" != "$BASE_KEY" ]; then
  docker import "$ROOTFS_TAR" paperboy-rootfs:ci >/dev/null
  mkdir -p "$WORK/base"
  cp "$NODE_BIN" "$WORK/base/node"
  cp -r "$NPM_DIR" "$WORK/base/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$WORK/base/ca-certificates.crt"
  docker build --network host --build-arg NODE_VERSION="$BASE_KEY" -t paperboy-base:ci -f- "$WORK/base" >"$WORK/base-build.log" 2>&1 <<'DOCKERFILE' ||
FROM paperboy-rootfs:ci
ARG NODE_VERSION
LABEL paperboy.node=$NODE_VERSION
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt NPM_CONFIG_CAFILE=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
DOCKERFILE
    { tail -20 "$WORK/base-build.log" >&2; fail "building the base image failed"; }
  rm -rf "$WORK/base"
fi

# ---- the project's image, from its own Dockerfile
say "docker build -f infra/Dockerfile --build-arg BASE_IMAGE=paperboy-base:ci"
docker build --progress=plain --network host -f infra/Dockerfile --build-arg BASE_IMAGE=paperboy-base:ci \
  -t paperboy:ci . >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; fail "docker build failed"; }
say "image paperboy:ci is $(docker image inspect paperboy:ci --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}') (base paperboy-base:ci $(docker image inspect paperboy-base:ci --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
# One container for the image checks, the migration and the start-up times (with vfs every
# container copies the image). infra/ci is not in the image; the timing script is mounted.
docker run --rm --network host -e DATABASE_URL="postgres://root@127.0.0.1:5432/$SMOKE_DATABASE" \
  -e REDIS_URL=redis://127.0.0.1:6379 -e QUEUE_PREFIX="$SMOKE_PREFIX" \
  -v "$PWD/infra/ci/startup-time.mjs:/opt/startup-time.mjs:ro" \
  -e TOKEN_SECRET=compose-smoke-secret-not-for-production-use paperboy:ci sh -c '
  # smtp-server is not on this list: the bounces service is an SMTP server and ships it.
  for tool in typescript tsx vitest playwright-core mailparser mjml; do
    if [ -e "node_modules/$tool" ]; then echo "the production image carries the dev-only package $tool"; exit 1; fi
  done
  if [ "$(id -u)" = 0 ]; then echo "the image runs as root"; exit 1; fi
  command -v paperboy >/dev/null || { echo "paperboy is not on the PATH"; exit 1; }
  if command -v npm >/dev/null; then echo "the runtime image still carries npm"; exit 1; fi
  paperboy migrate >/dev/null || exit 1
  node /opt/startup-time.mjs' >"$WORK/image-check.log" 2>&1 ||
  fail "image check: $(tail -5 "$WORK/image-check.log")"
grep '^startup time' "$WORK/image-check.log" | sed 's/^/compose smoke: /'

# ---- SMTP sink and free ports on 127.0.0.1
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
node infra/ci/smtp-sink.mjs 0 "$WORK/mail" >"$WORK/sink.port" 2>"$WORK/sink.log" &
SINK_PID=$!
for _ in $(seq 1 50); do [ -s "$WORK/sink.port" ] && break; sleep 0.2; done
[ -s "$WORK/sink.port" ] || fail "the SMTP sink did not start: $(cat "$WORK/sink.log")"
export SMOKE_SMTP_PORT SMOKE_API_PORT PAPERBOY_IMAGE=paperboy:ci
SMOKE_SMTP_PORT=$(cat "$WORK/sink.port")
SMOKE_API_PORT=$(free_port)
API="http://127.0.0.1:$SMOKE_API_PORT"
mails() { find "$WORK/mail" -name '*.json' 2>/dev/null | wc -l; }

# ---- the stack: api + 3 workers + 2 mailers (no bundled Postgres/Redis/Mailpit: --no-deps)
say "docker-compose up --scale worker=3 --scale mailer=2 (api on $API, sink on :$SMOKE_SMTP_PORT)"
"${COMPOSE[@]}" up -d --no-build --no-deps --scale worker=3 --scale mailer=2 api worker mailer \
  >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "docker-compose up failed"; }
for _ in $(seq 1 300); do curl -fsS "$API/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "$API/readyz" >/dev/null || fail "the api never became ready"
running=$("${COMPOSE[@]}" ps -q worker mailer | wc -l)
[ "$running" -eq 5 ] || fail "expected 3 workers and 2 mailers, compose runs $running"

# ---- readers sign up and confirm through the links in their confirmation mail
say "$READERS readers sign up"
seq 1 "$READERS" | xargs -P 8 -I{} curl -fsS -o /dev/null -X POST "$API/v1/subscriptions" \
  -H 'content-type: application/json' \
  -d '{"email":"reader{}@example.org","topics":["diffusion","language models"],"timezone":"Europe/Berlin","sendHour":8}' ||
  fail "a sign-up was refused"
for _ in $(seq 1 300); do [ "$(mails)" -ge "$READERS" ] && break; sleep 1; done
[ "$(mails)" -ge "$READERS" ] || fail "only $(mails) of $READERS confirmation mails reached the sink"
node -e '
  const fs = require("fs"), dir = process.argv[1];
  for (const f of fs.readdirSync(dir)) {
    const m = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
    const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_.-]+/.exec(m.text);
    if (link) console.log(link[0]);
  }' "$WORK/mail" >"$WORK/confirm-links"
[ "$(wc -l <"$WORK/confirm-links")" -ge "$READERS" ] || fail "confirmation mails without a confirm link"
say "confirming: GET shows the page, POST confirms"
grep -q 'form' <(curl -fsS "$(head -1 "$WORK/confirm-links")") || fail "the confirm page has no form"
xargs -P 8 -I{} curl -fsS -o /dev/null -X POST {} <"$WORK/confirm-links" || fail "a confirmation POST failed"
active=$(psql -h 127.0.0.1 -d "$SMOKE_DATABASE" -tAc "SELECT count(*) FROM subscribers WHERE status = 'active'")
[ "$active" -eq "$READERS" ] || fail "$active of $READERS readers are active after confirming"

# ---- the digest, started from inside a container, arrives at the sink
say "docker-compose exec worker paperboy digest run-now"
before=$(mails)
# run-now reports what it saw within its own minute; on a slow machine some may still be on the way.
"${COMPOSE[@]}" exec -T --index=1 worker paperboy digest run-now | tee "$WORK/run-now.log" || true
grep -qE "^planned $READERS digest" "$WORK/run-now.log" || fail "run-now did not plan $READERS digests"
grep -qE "failed 0," "$WORK/run-now.log" || fail "run-now reports failed digests"
digest_mails() { grep -l '"subject": "[0-9]* trending paper' "$WORK"/mail/*.json 2>/dev/null | wc -l; }
for _ in $(seq 1 300); do [ "$(digest_mails)" -ge "$READERS" ] && break; sleep 1; done
digests=$(digest_mails)
[ "$digests" -ge "$READERS" ] || fail "$digests of $READERS digests reached the sink"
first_digest=$(grep -l '"subject": "[0-9]* trending paper' "$WORK"/mail/*.json | sort | sed -n 1p)
grep -q '"list-unsubscribe-post"' "$first_digest" || fail "a digest without List-Unsubscribe-Post: $first_digest"
say "$digests digests at the sink ($(($(mails) - before)) mails since run-now)"

# ---- the logs show the work spread over the replicas
"${COMPOSE[@]}" logs --no-color worker mailer >"$WORK/logs.txt" 2>&1
replicas() { grep "$1" "$WORK/logs.txt" | grep -oE '^[a-z0-9_-]+(_|-)[0-9]+ ' | sort -u; }
composers=$(replicas '"msg":"composed digests"' | wc -l)
senders=$(replicas '"msg":"mail sent"' | wc -l)
echo "compose batches per worker: $(replicas '"msg":"composed digests"' | tr '\n' ' ')"
echo "mail sent per mailer:       $(for r in $(replicas '"msg":"mail sent"'); do echo -n "$r=$(grep -c "^$r .*\"msg\":\"mail sent\"" "$WORK/logs.txt") "; done)"
[ "$composers" -ge 2 ] || fail "only $composers worker(s) composed digests; expected more than one"
[ "$senders" -eq 2 ] || fail "$senders mailer(s) sent mail; expected both"

say "PASSED in $(($(date +%s) - START))s: image built, 3 workers + 2 mailers, $READERS readers signed up, confirmed and got their digest"
