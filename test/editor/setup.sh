#!/usr/bin/env bash
# Installs what the editor tests need, idempotently: Debian's chromium, ripgrep, libkrb5-dev and
# neovim, and code-server (which bundles the VS Code server and web client) in
# test/editor/.vscode-server/, outside the project's own dependencies. When everything is already
# there it only checks and returns. See shared/notes/real-editor.md for why each step is needed.
# Usage: test/editor/setup.sh        (prints each step as it starts, progress lines during the long
#                                    downloads, and a timing line when each step ends)
# A first run on a fresh machine usually takes 1 to 3 minutes (most of it code-server's ~300 MB).
set -euo pipefail

CS_VERSION=4.100.3               # ships VS Code 1.100.3, the newest code-server that declares Node 20
RG_CACHE=vscode-ripgrep-cache-1.15.11
RG_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES=(chromium ripgrep libkrb5-dev neovim)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEST=$HERE/.vscode-server
SERVER_MAIN=$DEST/node_modules/code-server/lib/vscode/out/server-main.js
MARKER=$DEST/.installed-$CS_VERSION

T0=$EPOCHREALTIME
LAST=$T0
lap() {
  local now=$EPOCHREALTIME
  awk -v t="$now" -v t0="$T0" -v l="$LAST" -v m="$1" 'BEGIN { printf "setup: [%6.1fs total, %6.1fs step] %s\n", t - t0, t - l, m }'
  LAST=$now
}

say() { echo "setup: $*"; }

# Prints how much of DIR has arrived every PROGRESS_SECONDS while process PID runs, so that a long
# download with its output in a log file never looks like a hang.
PROGRESS_SECONDS=10
watch_size() {
  local pid=$1 dir=$2 what=$3 ticks=0
  # One-second polls, so the step ends as soon as the process does.
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    ticks=$((ticks + 1))
    if [ $((ticks % PROGRESS_SECONDS)) -eq 0 ] && kill -0 "$pid" 2>/dev/null; then
      say "  $what: $(du -sh "$dir" 2>/dev/null | cut -f1) so far"
    fi
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "setup: need root (or sudo) to run: $*" >&2; exit 1
  fi
}

# 1. Debian packages. `apt-get update` only when something is missing: the lists may be stale.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]} (apt-get update, then the download: about a minute for Chromium) ..."
  apt_log=$(mktemp)
  # Another apt-get (unattended upgrades, a parallel setup) holds the dpkg lock: wait for it.
  # The filter turns apt's per-package lines into a progress line every ten packages.
  if ! { as_root apt-get update -qq -o DPkg::Lock::Timeout=300 >"$apt_log" 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" 2>&1 | tee -a "$apt_log" | awk '
        /^Need to get/ { print "setup:   " $0; fflush() }
        /^Get:/ { got++; if (got % 10 == 0) { printf "setup:   downloaded %d packages\n", got; fflush() } }
        /^Setting up/ { done++; if (done % 10 == 0) { printf "setup:   set up %d packages\n", done; fflush() } }'; }; then
    tail -30 "$apt_log" >&2
    echo "setup: apt-get install ${missing[*]} failed" >&2
    exit 1
  fi
  rm -f "$apt_log"
  lap "apt-get install ${missing[*]}"
else
  lap "Debian packages present (${APT_PACKAGES[*]})"
fi

# 2. code-server, once per version. A lock keeps `npm start` and `npm test` from installing at once.
mkdir -p "$DEST"
exec 9>"$DEST/.lock"
flock 9
if [ -f "$MARKER" ] && [ -f "$SERVER_MAIN" ]; then
  lap "code-server $CS_VERSION present"
  exit 0
fi

rm -rf "$DEST/node_modules" "$DEST/package-lock.json" "$DEST"/.installed-*
# Its own package.json approves the two install scripts of this tree (by name: the lockfile records
# no download addresses here, so npm cannot pin them by version). code-server's postinstall then
# runs `npm install` in lib/vscode, a project of its own; the native modules it builds are checked
# below, so a stricter npm that skipped them fails here rather than in a test. The project's .npmrc
# (ignore-scripts) is not read: npm takes the nearest folder with a package.json as the project.
cat >"$DEST/package.json" <<EOF
{
  "private": true,
  "description": "code-server for the editor tests; installed by test/editor/setup.sh, not part of the extension",
  "dependencies": { "code-server": "$CS_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF

# @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable: pre-seed its
# download cache with Debian's rg so it finds the tarball and downloads nothing.
export TMPDIR=$DEST/.tmp
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR/$RG_CACHE/stage"
cp "$(command -v rg)" "$TMPDIR/$RG_CACHE/stage/rg"
tar czf "$TMPDIR/$RG_CACHE/$RG_TARBALL" -C "$TMPDIR/$RG_CACHE/stage" rg

export npm_config_nodedir=/usr        # node-gyp builds against /usr/include/node instead of downloading headers
export npm_config_yes=true            # a postinstall runs npx
export npm_config_unsafe_perm=true    # code-server's postinstall refuses to run as root without it
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
log=$DEST/install.log
say "installing code-server@$CS_VERSION (the VS Code server, about 300 MB, then its native modules are built; log in $log) ..."
(cd "$DEST" && npm install --ignore-scripts=false >"$log" 2>&1) &
npm_pid=$!
watch_size "$npm_pid" "$DEST/node_modules" "code-server (about 300 MB when complete)"
if ! wait "$npm_pid"; then
  tail -40 "$log" >&2
  echo "setup: npm install code-server@$CS_VERSION failed; full log in $log" >&2
  exit 1
fi
VSCODE=$DEST/node_modules/code-server/lib/vscode
for f in out/server-main.js node_modules/@vscode/ripgrep/bin/rg node_modules/node-pty/build/Release/pty.node \
  node_modules/@vscode/spdlog/build/Release/spdlog.node node_modules/kerberos/build/Release/kerberos.node; do
  [ -e "$VSCODE/$f" ] || { echo "setup: $VSCODE/$f is missing after the install (see $log)" >&2; exit 1; }
done
rm -rf "$TMPDIR"
touch "$MARKER"
lap "npm install code-server@$CS_VERSION ($(du -sh "$DEST/node_modules" | cut -f1))"
