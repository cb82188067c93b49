#!/usr/bin/env bash
# tst_install: `cmake --install` into a temporary prefix puts every file where a desktop looks
# for it, each file passes its own validator, and the installed programs run and find their
# installed translations.
# Usage: check-install.sh BUILD_DIR VERSION LRELEASE
set -euo pipefail
build=$1 version=$2 lrelease=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in desktop-file-validate appstreamcli groff file; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/test installs it)"
done

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null

id=io.github.wslab.WsLab
expected=(
    bin/wslab bin/wslab-server bin/wslab-client
    "share/applications/$id.desktop"
    "share/icons/hicolor/scalable/apps/$id.svg"
    "share/metainfo/$id.metainfo.xml"
    share/man/man1/wslab.1.gz share/man/man1/wslab-server.1.gz share/man/man1/wslab-client.1.gz
    share/wslab/translations/wslab_zh_CN.qm
)
for size in 16 22 24 32 48 64 128 256 512; do
    expected+=("share/icons/hicolor/${size}x${size}/apps/$id.png")
done
for f in "${expected[@]}"; do
    [ -s "$prefix/$f" ] || fail "not installed: $f"
done
for program in wslab wslab-server wslab-client; do
    [ -x "$prefix/bin/$program" ] || fail "$program is not executable"
done
echo "installed: ${#expected[@]} files"

# Each PNG is the size its folder says.
for size in 16 22 24 32 48 64 128 256 512; do
    file "$prefix/share/icons/hicolor/${size}x${size}/apps/$id.png" | grep -q "PNG image data, $size x $size" \
        || fail "the ${size}x${size} icon is not a ${size}x${size} PNG"
done

desktop="$prefix/share/applications/$id.desktop"
desktop-file-validate "$desktop" | grep -v ': hint: ' && fail "desktop-file-validate complains"
grep -q '^Name\[zh_CN\]=' "$desktop" || fail "no Name[zh_CN] in the desktop entry"
grep -q '^Comment\[zh_CN\]=' "$desktop" || fail "no Comment[zh_CN] in the desktop entry"
grep -Eq '^Categories=.*Education;' "$desktop" && grep -Eq '^Categories=.*Development;' "$desktop" \
    || fail "the desktop entry is not in Education and Development"
grep -q "^Icon=$id\$" "$desktop" || fail "the desktop entry's icon is not $id"
echo "desktop entry: valid"

metainfo="$prefix/share/metainfo/$id.metainfo.xml"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate complains"
grep -q "<release version=\"$version\"" "$metainfo" || fail "the metainfo's release is not $version"
grep -q '<screenshot type="default">' "$metainfo" || fail "no screenshots in the metainfo"
echo "AppStream metainfo: valid"

export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$prefix/config" LC_ALL=C.UTF-8 LANGUAGE=
for program in wslab wslab-server wslab-client; do
    out=$("$prefix/bin/$program" --version)
    [ "$out" = "$program $version" ] || fail "$program --version printed \"$out\", not \"$program $version\""

    # The man page has every option --help has (it is made from it; this says it still is).
    page=$(zcat "$prefix/share/man/man1/$program.1.gz" | groff -man -Tascii -P-cbou 2>&1)
    grep -q "^NAME" <<<"$page" || fail "$program.1 has no NAME section"
    options=$("$prefix/bin/$program" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
    [ -n "$options" ] || fail "$program --help lists no options"
    for option in $options; do
        grep -qF -- "$option" <<<"$page" || fail "$program.1 does not mention $option"
    done
    echo "$program: --version and man page ($(wc -w <<<"$options") options) in step"
done

# The installed programs speak Chinese from the installed translations: replace the installed
# .qm by one whose wslab-client strings are marked, and the help shows the marks.
help=$(LC_ALL=zh_CN.UTF-8 "$prefix/bin/wslab-client" --help)
grep -q '连接' <<<"$help" || fail "wslab-client --help is not in Chinese under zh_CN"
qm="$prefix/share/wslab/translations/wslab_zh_CN.qm"
/usr/bin/python3 - "$(dirname "$0")/../../resources/translations/wslab_zh_CN.ts" "$prefix/marked.ts" <<'PY'
import sys, xml.etree.ElementTree as ET
tree = ET.parse(sys.argv[1])
for context in tree.getroot().iter('context'):
    if context.findtext('name') == 'wslab::ClientMain':
        for t in context.iter('translation'):
            t.text = 'INSTALLED-QM ' + (t.text or '')
tree.write(sys.argv[2], encoding='utf-8', xml_declaration=True)
PY
"$lrelease" -silent "$prefix/marked.ts" -qm "$qm"
LC_ALL=zh_CN.UTF-8 "$prefix/bin/wslab-client" --help | grep -q 'INSTALLED-QM' \
    || fail "wslab-client did not load the installed $qm"
echo "translations: loaded from the installation"
echo PASS
