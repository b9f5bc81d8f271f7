// TLSIdentity.swift — a certificate with its private key (and chain): loaded from PEM files, or a
// fresh self-signed EC P-256 certificate for localhost, 127.0.0.1 and ::1 made in memory.

import COpenSSL
import Glibc

/// Owns an `X509 *`, its `EVP_PKEY *` and any chain certificates; frees them when released.
final class TLSIdentity {
    let certificate: OpaquePointer
    let key: OpaquePointer
    let chain: [OpaquePointer]

    private init(certificate: OpaquePointer, key: OpaquePointer, chain: [OpaquePointer]) {
        self.certificate = certificate
        self.key = key
        self.chain = chain
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
        chain.forEach { X509_free($0) }
    }

    var info: TLSCertificateInfo { TLSCertificateInfo(certificate) }

    /// The certificate in PEM (public: a client can trust it with `ca=` or `-CAfile`).
    var certificatePEM: String { TLSCertificateInfo.withMemoryText { PEM_write_bio_X509($0, certificate) } }

    /// `cert=FILE key=FILE` (the key may sit in the certificate file when `keyPath` is nil); checks
    /// that the key belongs to the certificate.
    static func load(certificatePath: String, keyPath: String?) throws(TLSError) -> TLSIdentity {
        let certificateBytes = try PEMFile.read(certificatePath, option: "cert")
        let certificates = try PEMFile.certificates(certificateBytes, operation: "cert=\(certificatePath)")
        let keyOption = keyPath.map { "key=\($0)" } ?? "cert=\(certificatePath)"
        let key: OpaquePointer
        do {
            let keyBytes = try keyPath.map { path throws(TLSError) in try PEMFile.read(path, option: "key") } ?? certificateBytes
            key = try PEMFile.privateKey(keyBytes, operation: keyOption)
        } catch {
            certificates.forEach { X509_free($0) }
            throw error
        }
        let identity = TLSIdentity(certificate: certificates[0], key: key, chain: Array(certificates.dropFirst()))
        OpenSSLErrors.clear()
        guard X509_check_private_key(identity.certificate, key) == 1 else {
            throw OpenSSLErrors.configurationError(keyOption, fallback: "the key does not belong to the certificate")
        }
        return identity
    }

    /// A new key and a self-signed certificate: subject `CN=localhost, O=sockpit`, subjectAltName
    /// localhost, 127.0.0.1 and ::1, valid from an hour ago for 30 days, a random 128-bit serial.
    static func selfSigned() throws(TLSError) -> TLSIdentity {
        let operation = "generate certificate"
        OpenSSLErrors.clear()
        guard let key = sp_ec_p256_generate() else { throw OpenSSLErrors.configurationError(operation, fallback: "EC P-256 key generation failed") }
        guard let certificate = X509_new() else {
            EVP_PKEY_free(key)
            throw OpenSSLErrors.configurationError(operation, fallback: "X509_new failed")
        }
        let identity = TLSIdentity(certificate: certificate, key: key, chain: [])
        guard fillSelfSigned(certificate, key: key) else {
            throw OpenSSLErrors.configurationError(operation, fallback: "building the certificate failed")
        }
        return identity
    }

    private static func fillSelfSigned(_ certificate: OpaquePointer, key: OpaquePointer) -> Bool {
        guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1, setRandomSerial(certificate),
              X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), 30 * 86400) != nil,
              X509_set_pubkey(certificate, key) == 1,
              let name = X509_get_subject_name(certificate),
              X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, "sockpit", -1, -1, 0) == 1,
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "localhost", -1, -1, 0) == 1,
              X509_set_issuer_name(certificate, name) == 1
        else { return false }
        var extensionContext = X509V3_CTX()
        X509V3_set_ctx(&extensionContext, certificate, certificate, nil, nil, 0)
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"),
        ]
        for (nid, value) in extensions {
            guard let item = X509V3_EXT_conf_nid(nil, &extensionContext, nid, value) else { return false }
            defer { X509_EXTENSION_free(item) }
            guard X509_add_ext(certificate, item, -1) == 1 else { return false }
        }
        return X509_sign(certificate, key, EVP_sha256()) > 0
    }

    private static func setRandomSerial(_ certificate: OpaquePointer) -> Bool {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { return false }
        bytes[0] &= 0x7F  // a positive serial
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { return false }
        defer { BN_free(number) }
        return BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil
    }
}
