// The one C header sockpit imports OpenSSL 3 through (Debian libssl-dev): the headers TLSKit
// uses, plus static inline wrappers for what Swift cannot import.
//
// Why each part exists (PLATFORM-NOTES.md has the long story):
// - Many OpenSSL "functions" are function-like macros over SSL_ctrl / SSL_CTX_ctrl / BIO_ctrl
//   (SSL_set_tlsext_host_name, SSL_CTX_set_min_proto_version, SSL_CTX_set_mode, BIO_get_mem_data,
//   the app-data accessors) or over the generic stack functions (sk_X509_num): Swift imports none
//   of them, so each gets a static inline function here.
// - Option bits built with SSL_OP_BIT(n) are macros with arguments too: returned by functions.
// - EVP_EC_gen is a macro over the variadic EVP_PKEY_Q_keygen, and variadic C functions do not
//   import at all.
// - GENERAL_NAME keeps its value in a union: one accessor reads the kinds TLSKit shows.
#ifndef SOCKPIT_COPENSSL_SHIM_H
#define SOCKPIT_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <string.h>

// SSL_CTX settings.
static inline int sp_ctx_set_min_proto_version(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_min_proto_version(ctx, version); }
static inline int sp_ctx_set_max_proto_version(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_max_proto_version(ctx, version); }
static inline long sp_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline void sp_ctx_set_read_ahead(SSL_CTX *ctx, int on) { SSL_CTX_set_read_ahead(ctx, on); }
static inline int sp_ctx_add1_chain_cert(SSL_CTX *ctx, X509 *cert) { return (int)SSL_CTX_add1_chain_cert(ctx, cert); }
static inline int sp_ctx_set_app_data(SSL_CTX *ctx, void *data) { return SSL_CTX_set_app_data(ctx, data); }
static inline void *sp_ctx_get_app_data(const SSL_CTX *ctx) { return SSL_CTX_get_app_data(ctx); }

// Option bits (SSL_OP_BIT(n) is a macro with an argument).
static inline uint64_t sp_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t sp_op_no_compression(void) { return SSL_OP_NO_COMPRESSION; }
static inline uint64_t sp_op_cipher_server_preference(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }

// Per-connection.
static inline int sp_set_tlsext_host_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }
static inline int sp_set_app_data(SSL *ssl, void *data) { return SSL_set_app_data(ssl, data); }
static inline void *sp_get_app_data(const SSL *ssl) { return SSL_get_app_data(ssl); }
static inline long sp_get_negotiated_group(SSL *ssl) { return SSL_get_negotiated_group(ssl); }

// BIOs.
static inline long sp_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
static inline void sp_bio_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
static inline void sp_bio_set_retry_write(BIO *bio) { BIO_set_retry_write(bio); }
static inline void sp_bio_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }

// Stacks of certificates and of subjectAltName entries.
static inline int sp_sk_x509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *sp_sk_x509_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }
static inline STACK_OF(X509) *sp_sk_x509_new_null(void) { return sk_X509_new_null(); }
static inline int sp_sk_x509_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
static inline void sp_sk_x509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }
static inline GENERAL_NAMES *sp_x509_subject_alt_names(const X509 *cert) {
    return (GENERAL_NAMES *)X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
}
static inline int sp_general_names_num(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
static inline void sp_general_names_free(GENERAL_NAMES *names) { GENERAL_NAMES_free(names); }
/// One subjectAltName entry: its GEN_* type and, for DNS/IP/email/URI entries, its bytes (else NULL).
static inline int sp_general_name_at(const GENERAL_NAMES *names, int index, const unsigned char **data, int *length) {
    const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, index);
    const ASN1_STRING *value = NULL;
    switch (name->type) {
    case GEN_DNS: value = name->d.dNSName; break;
    case GEN_IPADD: value = name->d.iPAddress; break;
    case GEN_EMAIL: value = name->d.rfc822Name; break;
    case GEN_URI: value = name->d.uniformResourceIdentifier; break;
    default: break;
    }
    *data = value ? ASN1_STRING_get0_data(value) : NULL;
    *length = value ? ASN1_STRING_length(value) : 0;
    return name->type;
}

// Certificate names on one line, `CN=x, O=y`: UTF-8 kept (not `\C3\A9`), control characters
// escaped by OpenSSL (XN_FLAG_ONELINE is a macro of macros).
static inline unsigned long sp_name_print_flags(void) {
    return (XN_FLAG_ONELINE & ~XN_FLAG_SPC_EQ & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT;
}

// Memory and keys.
static inline void sp_openssl_free(void *pointer) { OPENSSL_free(pointer); }
static inline EVP_PKEY *sp_ec_p256_generate(void) { return EVP_EC_gen("P-256"); }

#endif
