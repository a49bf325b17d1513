import Server
import Testing

/// Configuration from the environment (docs/protocol.md section 11).
@Suite("Server configuration")
struct ServerConfigurationTests {
    @Test("the defaults serve a newcomer on one machine")
    func defaults() throws {
        let configuration = try ServerConfiguration(environment: [:])
        #expect(configuration == ServerConfiguration())
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.databasePath == "./signed-follow.sqlite")
        #expect(configuration.timestampWindowMilliseconds == 5 * 60 * 1000)
        #expect(configuration.sessionExpiryCapMilliseconds == 30 * 24 * 3600 * 1000)
        #expect(configuration.allowedOrigins.isEmpty)
        #expect(configuration.adminToken == nil)
    }

    @Test("every SIGNED_FOLLOW_ variable overrides its default")
    func environment() throws {
        let configuration = try ServerConfiguration(environment: [
            "SIGNED_FOLLOW_HOST": "0.0.0.0", "SIGNED_FOLLOW_PORT": "9090", "SIGNED_FOLLOW_DB": "/tmp/x.sqlite",
            "SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS": "60000", "SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS": "3600000",
            "SIGNED_FOLLOW_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            "SIGNED_FOLLOW_ADMIN_TOKEN": "s3cret-token",
        ])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.databasePath == "/tmp/x.sqlite")
        #expect(configuration.timestampWindowMilliseconds == 60000)
        #expect(configuration.sessionExpiryCapMilliseconds == 3_600_000)
        #expect(configuration.allowedOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.adminToken == "s3cret-token")
        #expect(!configuration.redactedSummary.joined().contains("s3cret-token"))
    }

    @Test(
        "unusable values name the variable and do not echo the value",
        arguments: [
            ("SIGNED_FOLLOW_PORT", "0"), ("SIGNED_FOLLOW_PORT", "65536"), ("SIGNED_FOLLOW_PORT", "http"),
            ("SIGNED_FOLLOW_HOST", ""), ("SIGNED_FOLLOW_DB", ""), ("SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS", "-1"),
            ("SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS", "soon"),
        ])
    func invalid(variable: String, value: String) {
        do {
            _ = try ServerConfiguration(environment: [variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.variable == variable)
            #expect(value.isEmpty || !error.description.contains(value))
        }
    }
}
