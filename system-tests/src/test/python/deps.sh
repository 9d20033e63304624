#!/usr/bin/env bash
# python-socketio 5.x and its dependencies, from Debian's packages, unpacked into $1 (no root, no
# system change): run the tests with PYTHONPATH=$1/usr/lib/python3/dist-packages and /usr/bin/python3.
# Done once per build directory, as npm ci for the Node clients: kept while the package list is the same.
set -euo pipefail
dest="$1"
packages="python3-socketio python3-engineio python3-bidict python3-requests python3-websocket python3-certifi
  python3-charset-normalizer python3-chardet python3-idna python3-urllib3"
stamp="$dest/.packages"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(echo $packages)" ]; then
  exit 0
fi
rm -rf "$dest"
mkdir -p "$dest/debs"
cd "$dest/debs"
# apt-get download reads the machine's package lists; without them (a fresh machine), lists of our
# own under $dest/apt, so the system's are not touched.
if ! apt-get download $packages 2>/dev/null; then
  lists="$dest/apt/lists"
  mkdir -p "$lists/partial" "$dest/apt/cache/archives/partial"
  opts=(-o Dir::State::Lists="$lists" -o Dir::Cache="$dest/apt/cache" -o Debug::NoLocking=1)
  apt-get "${opts[@]}" -qq update
  apt-get "${opts[@]}" download $packages
fi
for deb in *.deb; do
  dpkg -x "$deb" "$dest"
done
echo $packages > "$stamp"
