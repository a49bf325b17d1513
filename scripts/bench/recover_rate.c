/* The raw libsecp256k1 recovery rate on one core: what issue 6 measures the service
 * against. Signs 256 random 32-byte hashes with random keys once, then, for the given
 * number of seconds, parses each compact signature and recovers its public key
 * (secp256k1_ecdsa_recoverable_signature_parse_compact + secp256k1_ecdsa_recover), the
 * same two calls the service makes per request. Prints "recovers/s: N".
 *
 * Build: cc -O2 -o recover_rate recover_rate.c $(pkg-config --cflags --libs libsecp256k1)
 * Run:   taskset -c 0 ./recover_rate 5
 */
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COUNT 256

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void fill(unsigned char *bytes, size_t count) {
    FILE *random = fopen("/dev/urandom", "rb");
    if (!random || fread(bytes, 1, count, random) != count) { perror("/dev/urandom"); exit(1); }
    fclose(random);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 5.0;
    secp256k1_context *context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char hashes[COUNT][32], compact[COUNT][64];
    int recids[COUNT];
    for (int i = 0; i < COUNT; i++) {
        unsigned char key[32];
        do { fill(key, 32); } while (!secp256k1_ec_seckey_verify(context, key));
        fill(hashes[i], 32);
        secp256k1_ecdsa_recoverable_signature signature;
        if (!secp256k1_ecdsa_sign_recoverable(context, &signature, hashes[i], key, NULL, NULL)) return 1;
        secp256k1_ecdsa_recoverable_signature_serialize_compact(context, compact[i], &recids[i], &signature);
    }
    long done = 0;
    unsigned long check = 0;
    double start = now(), elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < COUNT; i++) {
            secp256k1_ecdsa_recoverable_signature signature;
            secp256k1_pubkey key;
            if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, compact[i], recids[i])) return 1;
            if (!secp256k1_ecdsa_recover(context, &key, &signature, hashes[i])) return 1;
            check += key.data[0];
        }
        done += COUNT;
        elapsed = now() - start;
    }
    printf("recovers/s: %.0f (%ld in %.2f s, check %lu)\n", done / elapsed, done, elapsed, check & 0xff);
    secp256k1_context_destroy(context);
    return 0;
}
