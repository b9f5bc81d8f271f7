// SystemTrustStore.swift — the system's trusted CAs, read once per process and shared by every
// client context, so a `connect tls` does not parse the CA bundle on the event loop each time.

import COpenSSL
import Glibc

/// SSL_CTX_set_default_verify_paths parses the whole CA bundle (`SSL_CERT_FILE`, else OpenSSL's
/// default `/usr/lib/ssl/cert.pem`, about 140 certificates) into every new context: some 30 ms per
/// context on this machine, on the event loop. This store is the same bundle plus the hashed
/// directory beside it (`SSL_CERT_DIR`, else `/usr/lib/ssl/certs`, read on demand), loaded on first
/// use and then shared: a context without `ca=` takes a reference to it, one with `ca=` copies its
/// certificates (references, no parsing) into a store of its own before adding the extra ones.
final class SystemTrustStore: @unchecked Sendable {
    // @unchecked Sendable: `store` and `directory` are set once, in the initialiser Swift runs once
    // for `shared`, and never changed. The X509_STORE is only read afterwards, by verifications on
    // the event-loop thread (OpenSSL locks its own lookups anyway), and lives as long as the process.
    static let shared = SystemTrustStore()

    private let store: OpaquePointer?
    private let directory: String?

    private init() {
        let store = X509_STORE_new()
        let file = Self.environment(X509_get_default_cert_file_env()) ?? String(cString: X509_get_default_cert_file())
        let directories = Self.environment(X509_get_default_cert_dir_env()) ?? String(cString: X509_get_default_cert_dir())
        let directory = directories.split(separator: ":").contains { Self.isDirectory(String($0)) } ? directories : nil
        if let store {
            if Self.isRegularFile(file) { _ = X509_STORE_load_file(store, file) }
            if let directory { _ = X509_STORE_load_path(store, directory) }
        }
        OpenSSLErrors.clear()
        self.store = store
        self.directory = directory
    }

    /// Makes `context` trust the system's CAs and `extra` (the certificates of `ca=`, not consumed).
    func use(in context: OpaquePointer, adding extra: [OpaquePointer]) -> Bool {
        guard let store else { return false }
        guard !extra.isEmpty else {
            SSL_CTX_set1_cert_store(context, store)
            return true
        }
        guard let own = SSL_CTX_get_cert_store(context) else { return false }
        if let directory { _ = X509_STORE_load_path(own, directory) }
        if let all = X509_STORE_get1_all_certs(store) {
            defer { sp_sk_x509_pop_free(all) }
            for index in 0..<sp_sk_x509_num(all) {
                if let certificate = sp_sk_x509_value(all, index) { _ = X509_STORE_add_cert(own, certificate) }
            }
        }
        // The same certificate twice ("cert already in hash table") is harmless.
        for certificate in extra { _ = X509_STORE_add_cert(own, certificate) }
        OpenSSLErrors.clear()
        return true
    }

    private static func environment(_ name: UnsafePointer<CChar>) -> String? {
        guard let value = getenv(name), value.pointee != 0 else { return nil }
        return String(cString: value)
    }

    private static func isDirectory(_ path: String) -> Bool { fileType(path) == S_IFDIR }
    private static func isRegularFile(_ path: String) -> Bool { fileType(path) == S_IFREG }

    private static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }
}
