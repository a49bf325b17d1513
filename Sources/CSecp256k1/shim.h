#ifndef SIGNED_FOLLOW_CSECP256K1_SHIM_H
#define SIGNED_FOLLOW_CSECP256K1_SHIM_H

#include <secp256k1.h>
#include <secp256k1_recovery.h>

/* Flag macros built from other macros are not imported by Swift; expose them as functions. */
static inline unsigned int csecp256k1_context_none(void) { return SECP256K1_CONTEXT_NONE; }
static inline unsigned int csecp256k1_ec_uncompressed(void) { return SECP256K1_EC_UNCOMPRESSED; }

#endif
