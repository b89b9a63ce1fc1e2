import Foundation
import PostgresTestServer
import Testing
@testable import CallPrepJobs

/// `sslmode` against real clusters: one with TLS on (a self-signed certificate made by openssl,
/// and `pg_hba.conf` refusing TCP connections without TLS, so a store that works there is
/// encrypted), one without.
@Suite(.serialized) struct PostgresTLSTests {
    /// Adds, claims and completes one job: the store works over this connection.
    static func runOneJob(_ store: PostgresJobStore) async throws {
        #expect(try await store.add(try trackJob("over-tls"), replace: false) == .added)
        let lease = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(30)))
        let run = try await store.startStep(.validate, lease: lease)
        _ = try await store.finishStep(run, outputs: .object(["ok": .bool(true)]), lease: lease)
        try await store.complete(lease)
        #expect(try await store.show(JobID("over-tls"))?.job.state == .done)
    }

    @Test func requireWorksOverTLSAndVerifyFullChecksTheCertificate() async throws {
        let server = try PostgresServer(tls: true)
        // require: encrypted, the self-signed certificate not checked (as libpq).
        let store = try await PostgresJobStore(url: server.url(sslmode: "require"))
        do {
            try await Self.runOneJob(store)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
        // prefer takes the TLS the server offers (pg_hba refuses anything else).
        let preferring = try await PostgresJobStore(url: server.url(sslmode: "prefer"))
        #expect(try await preferring.list(state: .done).count == 1)
        await preferring.shutdown()
        // disable: the server refuses a connection without TLS, and says so.
        do {
            let plain = try await PostgresJobStore(url: server.url(sslmode: "disable"))
            await plain.shutdown()
            Issue.record("a connection without TLS was accepted by a hostssl-only server")
        } catch {
            #expect(error.code == .database)
            #expect(error.message.contains("no encryption"), "\(error.message)")
        }
        // verify-full against the system's roots: the self-signed certificate is refused…
        do {
            let unverified = try await PostgresJobStore(url: server.url(sslmode: "verify-full"))
            await unverified.shutdown()
            Issue.record("a self-signed certificate passed verify-full without its CA")
        } catch {
            #expect(error.code == .database)
            #expect(error.message.contains("TLS connection"), "\(error.message)")
        }
        // …and accepted with the certificate as sslrootcert (it names 127.0.0.1).
        let verified = try await PostgresJobStore(url: server.url(sslmode: "verify-full") + "&sslrootcert=" + server.certificatePath)
        #expect(try await verified.list(state: .done).count == 1)
        await verified.shutdown()
    }

    @Test func requireAgainstAServerWithoutTLSIsRefusedClearly() async throws {
        let server = try PostgresServer()
        do {
            let store = try await PostgresJobStore(url: server.url(sslmode: "require"))
            await store.shutdown()
            Issue.record("sslmode=require connected to a server without TLS")
        } catch {
            #expect(error.code == .database)
            #expect(error.message.contains("does not offer TLS, but the URL asks for it"), "\(error.message)")
            #expect(error.message.contains("127.0.0.1:\(server.port)"))
        }
        // disable works as before.
        let store = try await PostgresJobStore(url: server.url(sslmode: "disable"))
        try await Self.runOneJob(store)
        await store.shutdown()
    }

    @Test func sslModesAreReadAsLibpqReadsThem() throws {
        #expect(try PostgresURL("postgres://u@h/d?sslmode=verify-ca").tls == .verifyCA)
        #expect(try PostgresURL("postgres://u@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem").rootCertificatePath == "/etc/ca.pem")
        #expect(try PostgresURL("postgres://u@h/d").tls == .prefer)
        #expect(throws: JobStoreError.self) { try PostgresURL("postgres://u@h/d?sslmode=require&sslrootcert=/etc/ca.pem") }
        #expect(throws: JobStoreError.self) { try PostgresURL("postgres://u@h/d?sslmode=always") }
    }
}
