#!/usr/bin/env bash
# The Debian packages the tests start or call, each a real component users
# meet: the CNCF distribution registry with skopeo and umoci (container image
# builds), kubectl (the image example renders a Deployment) and headless
# Chromium (the ledger page is rendered and screenshotted), openssl (the
# registry token realm's test certificate), GitHub's CLI `gh` (the reviewers'
# commands the release notes print run against the local GitHub). Idempotent: a
# package already installed is skipped, so a second run costs nothing.
set -euo pipefail

packages=(docker-registry skopeo umoci chromium openssl gh)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# kubectl may already come from another source (a cloud SDK); Debian's
# kubernetes-client would collide with it, so it is only added when absent.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${packages[*]} kubectl)"
  exit 0
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "system packages: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
