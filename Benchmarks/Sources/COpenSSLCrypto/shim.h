#ifndef SIGNED_FOLLOW_BENCHMARKS_COPENSSLCRYPTO_SHIM_H
#define SIGNED_FOLLOW_BENCHMARKS_COPENSSLCRYPTO_SHIM_H

/* OpenSSL 3 libcrypto: only the EVP digest API is used (SHA3-256 as the reference hash). */
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/crypto.h>

#endif
