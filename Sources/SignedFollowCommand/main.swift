// The `signed-follow` executable. The HTTP service (`serve`) and the CLI subcommands
// arrive with their issues; until then it checks the cryptography end to end and
// prints the configuration it would serve with.
import Crypto
import Foundation
import Keccak
import Server
import SignedFollow

let usage = """
    signed-follow: verifies wallet-signed social follows.

    usage: signed-follow <command>

      selftest   check the PROTOCOL.md section 5 known answer end to end: the sha3_224
                 nonce, EIP-191 recovery through libsecp256k1, an ed25519 round trip
                 through libsodium
      config     print the configuration read from SIGNED_FOLLOW_* variables
                 (the admin token is masked)
      help       this text

    The HTTP service (`signed-follow serve`) is not built yet: it arrives with the
    verified write path. See README.md.
    """

/// The section 5 known answer: Hardhat key 0 follows a test user.
func selfTest() -> Bool {
    var passed = true
    func check(_ name: String, _ condition: () throws -> Bool) {
        let ok = (try? condition()) ?? false
        print("\(ok ? "ok  " : "FAIL") \(name)")
        passed = passed && ok
    }
    let nonce = SignedDigests.followNonce(
        userid: "user:8d8f2c1f2c6b4b0b0a6e5cb0c8f0e0b1d2c3a4b5c6d7e8f90a1b2c3d", action: "follow",
        targetUserid: "user:1111111111111111111111111111111111111111111111111111111", timestamp: 1_689_150_327_546)
    check("sha3_224 follow nonce") { nonce.hexString == "274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e" }
    let signContent = "\n    Web3MQ wants you to sign in with your eth account:\n    0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\n    \n    For follow signature\n    \n    Nonce: \(nonce.hexString)\n    Issued At: 2023/07/12 16:25"
    check("personal_sign recovery to 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") {
        let signature = try RecoverableSignature(
            hex: "0xc9fbd3959551bec133714acc04af6ae360963063a10370ad43b1077acece8b332316b7706273b0226dd3f0d76820f719bee1967b7fe161f2deb3eee864f209821c")
        return try signature.recoverAddress(personalMessage: signContent.utf8)
            == EthereumAddress(parsing: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    }
    check("ed25519 sign and verify") {
        let keyPair = Ed25519KeyPair.generate()
        let message = Array(nonce.hexString.utf8)
        return keyPair.publicKey.isValidSignature(keyPair.signature(for: message), for: message)
    }
    return passed
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case nil, "help", "--help", "-h":
    print(usage)
case "selftest":
    exit(selfTest() ? 0 : 1)
case "config":
    do {
        let configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
        configuration.redactedSummary.forEach { print($0) }
    } catch {
        FileHandle.standardError.write(Data("signed-follow: \(error)\n".utf8))
        exit(2)
    }
case let command?:
    FileHandle.standardError.write(Data("signed-follow: unknown command '\(command)'\n\n\(usage)\n".utf8))
    exit(2)
}
