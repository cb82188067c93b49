# Shared by scripts/run and scripts/test: install what is missing, configure, build.
# Sourced, not executed. Everything here must work on a bare Debian 12 machine.

set -euo pipefail

WSLAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WSLAB_BUILD=${WSLAB_BUILD:-$WSLAB_ROOT/build}

# Debian 12 packages the project needs to build, run and test.
WSLAB_PACKAGES=(
    # toolchain
    cmake g++ make git
    # Qt 6.4 and QCoro
    qt6-base-dev qt6-base-private-dev qt6-websockets-dev qt6-httpserver-dev qt6-charts-dev qt6-svg-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libgl-dev libqt6opengl6-dev qcoro-qt6-dev
    # OpenSSL 3: libcrypto makes the classroom certificates; the openssl tool checks them in tests
    libssl-dev openssl
    # so that Chinese text renders
    fonts-noto-cjk
    # real third-party peers for the interop tests (Debian's python3, not the one on PATH)
    python3 python3-tornado python3-websockets
    # the wire parsers' fuzzing (clang, libFuzzer) and their agreement with Wireshark
    clang libclang-rt-14-dev tshark
    # installing like a desktop program: the icon's PNGs and the man pages made at build time,
    # the validators of the desktop entry and AppStream metadata, the .deb's Depends
    # (dpkg-shlibdeps), and what the install test reads the results with
    librsvg2-bin help2man desktop-file-utils appstream dpkg-dev file groff-base
    # scaling out (scripts/cluster, tst_cluster): hiredis for the Redis bus, Redis and nginx
    libhiredis-dev redis-server nginx
    # the classroom: QR join codes (libqrencode, found with pkg-config), zbar to read them back
    # from a grab of the window in tests, Chromium headless as a phone opening the join page
    pkgconf libqrencode-dev zbar-tools chromium
)

wslab_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

wslab_install_missing() {
    local missing=() pkg
    for pkg in "${WSLAB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || {
            echo "error: these Debian packages are missing and sudo is not available:" >&2
            echo "  ${missing[*]}" >&2
            echo "Install them as root with: apt-get install ${missing[*]}" >&2
            exit 1
        }
        sudo=(sudo)
    fi
    wslab_log "Installing missing packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}

wslab_build() {
    wslab_log "Configuring into ${WSLAB_BUILD}"
    cmake -S "$WSLAB_ROOT" -B "$WSLAB_BUILD" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" "$@"
    wslab_log "Building with $(nproc) jobs"
    # WSLAB_BUILD_TARGETS (e.g. "wslab-server"): only those, for a script that needs no more.
    cmake --build "$WSLAB_BUILD" --parallel "$(nproc)" ${WSLAB_BUILD_TARGETS:+--target $WSLAB_BUILD_TARGETS}
}
