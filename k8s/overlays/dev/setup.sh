#!/usr/bin/env bash
# Makes the development overlay's secrets, once, on the machine that applies it; none of them is
# in git. Then: kubectl apply -k k8s/overlays/dev
#
#   secrets.env    JWT_SECRET, SERVICE_TOKEN and ADMIN_TOKEN, random; the databases' URLs; the object
#                  store's user and a random key (give your development MinIO the same)
#   cluster-tls/   a member certificate of the event bus, from a development CA in .ca/
#
# Existing files are kept, so running it again changes nothing. To start over, delete them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${SWITCHBOARD_ROOT:-$(cd "$here/../../.." && pwd)}
command -v openssl >/dev/null || { echo "dev setup: openssl is required" >&2; exit 1; }
umask 077

if [ ! -e "$here/secrets.env" ]; then
  cat >"$here/secrets.env" <<SECRETS
JWT_SECRET=$(openssl rand -base64 48 | tr -d '\n')
SERVICE_TOKEN=$(openssl rand -hex 32)
ADMIN_TOKEN=$(openssl rand -hex 32)
PG_URL=postgresql://switchboard:switchboard@switchboard-postgres:5432/switchboard
REDIS_URL=redis://switchboard-redis:6379
S3_ACCESS_KEY=switchboard
S3_SECRET_KEY=$(openssl rand -hex 24)
SECRETS
  echo "dev setup: wrote $here/secrets.env (ADMIN_TOKEN for the console and the admin API is in it)"
fi
if [ ! -e "$here/cluster-tls/tls.crt" ]; then
  [ -e "$here/.ca/ca.key" ] || bash "$root/deploy/cluster-ca.sh" ca "$here/.ca" >/dev/null
  bash "$root/deploy/cluster-ca.sh" member "$here/.ca" "$here/cluster-tls" >/dev/null
  echo "dev setup: wrote $here/cluster-tls (development CA in $here/.ca)"
fi
