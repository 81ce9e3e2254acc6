#!/usr/bin/env bash
# Installs every host program that `tuneproof images build`, the runs and the tests spawn, so a
# bare Debian gets through `make test` and `make compare` (a fresh machine once failed at
# "spawn debootstrap ENOENT": nothing installed it). The list of programs lives in one place,
# harness/util/host-tools.ts; this script installs their Debian packages, and the tests check
# that the two agree.
#
# Go: the Kubernetes, etcd, k6 and kwok builds need Go >= $GO_MIN. A Go on PATH that new is used
# as it is; otherwise the Go toolchain is fetched as the Go module golang.org/toolchain (what the
# go command itself does when a module asks for a newer Go) into tuneproof's cache, bootstrapped
# by Debian's golang-go when there is no Go at all. tuneproof looks there before PATH.
set -euo pipefail
GO_MIN=1.24
GO_TOOLCHAIN=${TUNEPROOF_GO_TOOLCHAIN:-1.25.5}
cache="${TUNEPROOF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tuneproof}"
state="${TUNEPROOF_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tuneproof}"
mkdir -p "$state"

# program -> Debian package. Keep in step with HOST_TOOLS in harness/util/host-tools.ts.
declare -A pkg=(
  [debootstrap]=debootstrap [gpgv]=gpgv [chroot]=coreutils [tar]=tar [sysctl]=procps
  [pgrep]=procps [dpkg]=dpkg
)
need=()
for prog in "${!pkg[@]}"; do
  command -v "$prog" >/dev/null 2>&1 || need+=("${pkg[$prog]}")
done
# debootstrap verifies Release files against Debian's archive keys.
[ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
[ -e /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)

go_version() { "$1" env GOVERSION 2>/dev/null | sed 's/^go//'; }
# 0 when version $1 >= $2 (dotted numbers)
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }
have_go=""
if [ -x "$cache/go/bin/go" ]; then have_go="$cache/go/bin/go"
elif command -v go >/dev/null 2>&1 && version_ge "$(go_version go)" "$GO_MIN"; then have_go=$(command -v go); fi
[ -n "$have_go" ] || command -v go >/dev/null 2>&1 || need+=(golang-go)

if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing Debian packages: ${need[*]}" >&2
    echo "       install them (apt-get install ${need[*]}), or run this as root on Debian" >&2
    exit 2
  fi
  echo "setup: installing Debian's ${need[*]}..."
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } \
    >"$state/apt-host-tools.log" 2>&1 || {
    tail -20 "$state/apt-host-tools.log" >&2
    echo "setup: apt-get install ${need[*]} failed (log: $state/apt-host-tools.log)" >&2
    exit 4
  }
fi

if [ -z "$have_go" ]; then
  boot=$(command -v go)
  echo "setup: Go $(go_version "$boot") is older than $GO_MIN; fetching the Go $GO_TOOLCHAIN toolchain module"
  tmp=$(mktemp -d)
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
  dir=$(cd "$tmp" && GOMODCACHE="$tmp/mod" GOFLAGS=-mod=mod GOTOOLCHAIN=local \
    "$boot" mod download -json "golang.org/toolchain@v0.0.1-go$GO_TOOLCHAIN.linux-$arch" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$dir" ] || [ ! -f "$dir/bin/go" ]; then
    echo "setup: the Go toolchain module did not download" >&2
    exit 4
  fi
  mkdir -p "$cache"
  rm -rf "$cache/go.partial"
  cp -r "$dir" "$cache/go.partial"
  chmod -R u+w "$cache/go.partial"
  # module zips carry no file modes: make the toolchain's programs executable again
  chmod +x "$cache/go.partial"/bin/* "$cache/go.partial"/pkg/tool/*/*
  rm -rf "$cache/go"
  mv "$cache/go.partial" "$cache/go"
  have_go="$cache/go/bin/go"
fi
echo "setup: host tools ready (go $(go_version "$have_go") at $have_go)"
