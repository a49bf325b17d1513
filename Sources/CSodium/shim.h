#ifndef SIGNED_FOLLOW_CSODIUM_SHIM_H
#define SIGNED_FOLLOW_CSODIUM_SHIM_H

#include <sodium.h>

#endif
