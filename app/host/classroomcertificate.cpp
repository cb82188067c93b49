#include "classroomcertificate.h"

#include <QDir>
#include <QFileInfo>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QStandardPaths>

namespace wslab {

namespace {

QString folder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/tls");
}

QList<QHostAddress> machineAddresses()
{
    QList<QHostAddress> addresses;
    for (QHostAddress address : QNetworkInterface::allAddresses()) {
        if (address.isLinkLocal())
            continue;
        address.setScopeId({});
        addresses.append(address);
    }
    return addresses;
}

QStringList machineNames()
{
    QStringList names { QStringLiteral("localhost") };
    const QString host = QHostInfo::localHostName().toLower();
    if (!host.isEmpty() && host != u"localhost") {
        names.append(host);
        if (!host.contains(u'.'))
            names.append(host + QStringLiteral(".local"));
    }
    return names;
}

bool namesEveryAddress(const QSslCertificate &certificate, const QList<QHostAddress> &addresses)
{
    const auto names = certificate.subjectAlternativeNames();
    const QList<QString> certified = names.values(QSsl::IpAddressEntry);
    return std::all_of(addresses.cbegin(), addresses.cend(), [&](const QHostAddress &address) {
        return std::any_of(certified.cbegin(), certified.cend(), [&](const QString &entry) {
            return QHostAddress(entry).isEqual(address);
        });
    });
}

} // namespace

QString classroomCertificateFile()
{
    return folder() + QStringLiteral("/classroom-cert.pem");
}

QString classroomKeyFile()
{
    return folder() + QStringLiteral("/classroom-key.pem");
}

std::optional<TlsCredentials> classroomCredentials(QString *error)
{
    const QList<QHostAddress> addresses = machineAddresses();
    if (QFileInfo::exists(classroomCertificateFile())) {
        QString problem, warning;
        auto kept = loadTlsCredentials(classroomCertificateFile(), classroomKeyFile(), &problem,
                                       &warning);
        const QDateTime soon = QDateTime::currentDateTimeUtc().addDays(7);
        if (kept && warning.isEmpty() && kept->certificate.expiryDate() > soon
            && namesEveryAddress(kept->certificate, addresses))
            return kept;
    }
    TlsCredentials made = makeSelfSignedCredentials(machineNames(), addresses, error);
    if (made.isNull())
        return std::nullopt;
    if (!QDir().mkpath(folder())) {
        *error = QStringLiteral("cannot create %1").arg(folder());
        return std::nullopt;
    }
    if (!saveTlsCredentials(made, classroomCertificateFile(), classroomKeyFile(), error))
        return std::nullopt;
    return made;
}

} // namespace wslab
