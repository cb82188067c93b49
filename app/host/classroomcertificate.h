#pragma once

#include "tlscredentials.h"

#include <optional>

namespace wslab {

// The certificate the window's server uses when the teacher turns TLS on without one of their
// own: self-signed, for every name and address of this machine, made once and kept in the
// application's data folder (the key readable by its owner only), so that students who checked
// its fingerprint once see the same one next lesson. Made anew when it has expired or no longer
// names one of this machine's addresses (the classroom's network changed).
std::optional<TlsCredentials> classroomCredentials(QString *error);

// Where it is kept.
QString classroomCertificateFile();
QString classroomKeyFile();

} // namespace wslab
