import ArgumentParser
import SignedFollow

/// `signed-follow sign KIND`: prints a signed request and the equivalent curl line
/// without sending it.
struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a signed request (headers and JSON body) and an equivalent curl line, without sending it.",
        discussion: """
            The request is printed as one JSON object {method, path, headers, body}, which
            `signed-follow explain` reads back. With --json only that object is printed.
            Example: signed-follow sign follow -i alice.json bob.json > follow.json
            """,
        subcommands: [SignRegister.self, SignLogin.self, SignFollow.self, SignUnfollow.self, SignBatch.self])
}

/// Prints `document`, then (unless `json`) its curl line.
func printSigned(_ document: RequestDocument, _ options: IdentityOptions) {
    let console = Console.current
    console.out(document.json)
    if !options.json {
        console.out("")
        console.out(document.curl(server: options.server))
    }
}

/// `signed-follow sign register`.
struct SignRegister: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "A signed registration.",
        discussion: "Example: signed-follow sign register -i alice.json --layout crlf")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @Option(help: "The URI line of the signed text (the dApp's origin).")
    var uri = "http://localhost"

    func run() throws {
        printSigned(try RequestSigner(options, styleOptions: styleOptions).registration(uri: uri), options)
    }
}

/// `signed-follow sign login`.
struct SignLogin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "A signed login binding a fresh session key (the key is not saved: use `login` for that).",
        discussion: "Example: signed-follow sign login -i alice.json --hours 1")

    @OptionGroup var options: IdentityOptions
    @Option(help: "How long the session key stays valid, in hours.")
    var hours = 24

    func run() throws {
        printSigned(try RequestSigner(options).login(lifetime: Int64(hours) * 3_600_000).0, options)
    }
}

/// `signed-follow sign follow TARGET`.
struct SignFollow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow", abstract: "A signed follow.",
        discussion: "Example: signed-follow sign follow -i alice.json user:1234... --layout unindented")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @OptionGroup var follow: FollowOptions

    func run() throws {
        printSigned(try follow.document(options, styleOptions, action: "follow"), options)
    }
}

/// `signed-follow sign unfollow TARGET`.
struct SignUnfollow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unfollow", abstract: "A signed cancel.",
        discussion: "Example: signed-follow sign unfollow -i alice.json bob.json")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @OptionGroup var follow: FollowOptions

    func run() throws {
        printSigned(try follow.document(options, styleOptions, action: "cancel"), options)
    }
}

/// `signed-follow sign batch TARGET...`.
struct SignBatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch", abstract: "A signed batch of follows or cancels.",
        discussion: "Example: signed-follow sign batch -i alice.json bob.json carol.json")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @OptionGroup var batch: BatchOptions

    func run() throws {
        let signer = try RequestSigner(options, styleOptions: styleOptions)
        printSigned(
            signer.batch(
                try batch.targets.map(RequestSigner.userid(of:)), action: batch.action, userSignature: batch.userSignature),
            options)
    }
}
