#!/usr/bin/env bash
# tst_package: `cpack -G DEB` makes a .deb whose Depends dpkg-shlibdeps computed from the
# programs (so they name the Qt libraries), every one a Debian package; unpacked with dpkg -x,
# its programs run.
# Usage: check-package.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps apt-cache; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/test installs dpkg-dev)"
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$out" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >cpack.log 2>&1) \
    || { tail -30 "$out/cpack.log"; fail "cpack -G DEB failed"; }
debs=("$out"/wslab_"$version"_*.deb)
[ -f "${debs[0]}" ] || fail "no wslab_${version}_*.deb in $(ls "$out")"
deb=${debs[0]}
echo "package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for needed in libqt6core6 libqt6network6 libqt6websockets6 libqt6httpserver6 libqt6widgets6 \
        libqt6charts6 libqt6svg6 libssl3 libc6 qt6-qpa-plugins; do
    grep -Eq "(^|, )$needed( |,|$)" <<<"$depends" || fail "Depends does not name $needed"
done
# Each one a package Debian has (a name made up by hand would not be).
for package in $(sed -E 's/ \([^)]*\)//g; s/,/ /g; s/\|/ /g' <<<"$depends"); do
    apt-cache show --no-all-versions "$package" >/dev/null 2>&1 \
        || fail "Depends names $package, which is not a Debian package"
done
contents=$(dpkg-deb -c "$deb")
for f in usr/bin/wslab usr/bin/wslab-server usr/bin/wslab-client \
        usr/share/applications/io.github.wslab.WsLab.desktop \
        usr/share/metainfo/io.github.wslab.WsLab.metainfo.xml \
        usr/share/icons/hicolor/scalable/apps/io.github.wslab.WsLab.svg \
        usr/share/man/man1/wslab-server.1.gz usr/share/wslab/translations/wslab_zh_CN.qm; do
    grep -q " \./$f\$" <<<"$contents" || fail "the package lacks /$f"
done

dpkg -x "$deb" "$out/root"
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$out/config" LC_ALL=C.UTF-8 LANGUAGE=
for program in wslab-server wslab-client wslab; do
    printed=$("$out/root/usr/bin/$program" --version)
    [ "$printed" = "$program $version" ] || fail "unpacked $program --version printed \"$printed\""
    echo "unpacked $program --version: $printed"
done
# Stripped: the package carries the programs, not their debugging information.
file "$out/root/usr/bin/wslab" | grep -q ', stripped' || fail "the packaged wslab is not stripped"
echo PASS
