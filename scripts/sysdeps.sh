#!/usr/bin/env bash
# Make sure Debian packages are installed: install the missing ones when root, else stop with one
# line naming them. Packages after --optional are installed when possible and only warned about.
#   scripts/sysdeps.sh PKG... [--optional PKG...]
set -euo pipefail

required=() optional=() target=required
for arg in "$@"; do
  if [[ $arg == --optional ]]; then target=optional; continue; fi
  if [[ $target == required ]]; then required+=("$arg"); else optional+=("$arg"); fi
done

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=() missing_optional=()
for p in "${required[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${optional[@]}"; do installed "$p" || missing_optional+=("$p"); done
# python3 -m venv needs ensurepip, which Debian ships in python3.X-venv.
python3 -c "import ensurepip" 2>/dev/null || missing+=("python3-venv")

if (( ${#missing[@]} + ${#missing_optional[@]} == 0 )); then exit 0; fi
if ! command -v dpkg-query >/dev/null; then
  echo "sysdeps: not a Debian system; make sure these are installed: ${missing[*]} ${missing_optional[*]}" >&2
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  if (( ${#missing[@]} )); then
    echo "sysdeps: missing Debian packages; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "sysdeps: optional packages not installed (not root): ${missing_optional[*]}" >&2
  exit 0
fi
echo "sysdeps: installing ${missing[*]} ${missing_optional[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" "${missing_optional[@]}" >/dev/null
