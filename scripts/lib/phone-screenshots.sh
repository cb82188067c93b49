#!/usr/bin/env bash
# The README's pictures of the page at / on a phone: docs/phone-en.png and docs/phone-zh_CN.png.
# A wslab-server on a free port serves the page; scripts/lib/phone-screenshot.py opens it in a
# headless Chromium at 390x844 in the browser language of each picture, chats with a "teacher"
# and captures the screen. Run by scripts/screenshots, or on its own.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

wslab_install_missing
WSLAB_BUILD_TARGETS=wslab-server wslab_build

log=$(mktemp)
"$WSLAB_BUILD/server/wslab-server" --port 0 --quiet >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT

port=
for _ in $(seq 300); do # up to 30 s on a loaded machine
    port=$(sed -n 's|.*listening: http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "error: wslab-server did not start:" >&2
    cat "$log" >&2
    exit 1
fi

mkdir -p "$WSLAB_ROOT/docs"
for lang in en zh_CN; do
    out="$WSLAB_ROOT/docs/phone-$lang.png"
    wslab_log "Screenshot: $out"
    /usr/bin/python3 "$WSLAB_ROOT/scripts/lib/phone-screenshot.py" --port "$port" --lang "$lang" \
        --out "$out"
    test -s "$out"
done
