#!/usr/bin/env bash
# Certificates for the clustered event bus (docs/operations.md, "The cluster plane"): a CA that
# signs nothing but Switchboard's members, and member certificates from it. Members trust whatever
# the CA signed and nothing else, in both directions (TLS with client certificates).
#
#   deploy/cluster-ca.sh ca CA_DIR              a new CA: CA_DIR/ca.crt, CA_DIR/ca.key
#   deploy/cluster-ca.sh member CA_DIR OUT_DIR  a member certificate from that CA:
#                                               OUT_DIR/tls.crt, OUT_DIR/tls.key, and OUT_DIR/ca.crt
#                                               (the CA certificate members trust)
#
# OUT_DIR holds what every member needs (CLUSTER_TLS_CA, CLUSTER_TLS_CERT, CLUSTER_TLS_KEY), in the
# layout of a Kubernetes TLS Secret with ca.crt; for the manifests, k8s/overlays/<overlay>/cluster-tls.
# Keep CA_DIR (ca.key) out of the cluster and out of git: whoever holds ca.key can make members.
# Members are addressed by pod IP, which no certificate can name in advance; they verify each other
# against the CA only, so use this CA for the cluster and for nothing else.
#
# Validity: CA_DAYS (default 3650) and MEMBER_DAYS (default 365) in the environment.
set -euo pipefail

usage() {
  sed -n '6,9p' "$0" | sed 's/^# //' >&2
  exit 2
}

[ $# -ge 2 ] || usage
command -v openssl >/dev/null || { echo "cluster-ca: openssl is required" >&2; exit 1; }
umask 077

case "$1" in
  ca)
    dir=$2
    [ ! -e "$dir/ca.key" ] || { echo "cluster-ca: $dir/ca.key exists; not overwriting a CA" >&2; exit 1; }
    mkdir -p "$dir"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$dir/ca.key" -sha256 -days "${CA_DAYS:-3650}" \
      -subj "/O=Switchboard/CN=Switchboard cluster CA $(date -u +%Y%m%d%H%M%S)" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$dir/ca.crt"
    echo "cluster-ca: CA in $dir (ca.crt, ca.key)"
    ;;
  member)
    [ $# -eq 3 ] || usage
    ca=$2
    out=$3
    [ -r "$ca/ca.key" ] && [ -r "$ca/ca.crt" ] || { echo "cluster-ca: no CA in $ca (make one with: $0 ca $ca)" >&2; exit 1; }
    mkdir -p "$out"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/tls.key" 2>/dev/null
    openssl req -new -key "$tmp/tls.key" -subj "/O=Switchboard/CN=switchboard-member" -out "$tmp/member.csr"
    # Both ends of a bus connection present this certificate: server and client use.
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:switchboard-member" > "$tmp/ext"
    openssl x509 -req -in "$tmp/member.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial \
      -CAserial "$tmp/ca.srl" -days "${MEMBER_DAYS:-365}" -sha256 -extfile "$tmp/ext" -out "$tmp/tls.crt" 2>/dev/null
    mv "$tmp/tls.key" "$out/tls.key"
    mv "$tmp/tls.crt" "$out/tls.crt"
    cp "$ca/ca.crt" "$out/ca.crt"
    echo "cluster-ca: member certificate in $out (tls.crt, tls.key, ca.crt), valid until $(openssl x509 -in "$out/tls.crt" -noout -enddate | cut -d= -f2)"
    ;;
  *)
    usage
    ;;
esac
