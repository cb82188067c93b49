# A Debian package of the installation: `cpack -G DEB` in the build folder, or scripts/package.
# Its Depends are computed from the programs (dpkg-shlibdeps), so they name the Qt libraries
# the programs link; the rest are what the programs load at run time, which no linker sees.

set(CPACK_PACKAGE_NAME wslab)
set(CPACK_PACKAGE_VENDOR "WsLab")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${WSLAB_HOMEPAGE}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY wslab)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "WsLab developers")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${PROJECT_DESCRIPTION}
 WsLab teaches and inspects WebSocket. Its window starts its own server, which
 echoes every message and pushes Beijing time every second; panes show the
 connection events of both sides, the HTTP handshake as it went over the wire,
 the frames that follow, and the phase the connection is in.
 .
 Also in the package: wslab-server, the same server without a window, and
 wslab-client, a console WebSocket client. English and Simplified Chinese.")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, so dpkg-shlibdeps cannot see them: the window's platform plugins (xcb,
# Wayland), and the SVG icon engine comes with libqt6svg6, which the window links.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
# Qt's own strings (dialog buttons) in Chinese, and a font that has the Chinese characters.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, fonts-noto-cjk")

include(CPack)
