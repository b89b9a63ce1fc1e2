import ArgumentParser
import ObjectStore

/// Runs one storage command: resolves the S3 configuration, opens the store, reports any
/// failure in the one error shape (exit 1) and closes the store's connections.
enum StorageSession {
    static func run(_ s3: some S3Settings, allowHTTP: Bool, _ output: OutputOptions,
                    _ body: (any ObjectStore) async throws -> Void) async throws {
        try await run(configuration: { () throws(ObjectStoreError) in try s3.configuration(allowHTTP: allowHTTP) }, output, body)
    }

    /// The same with the configuration from `configuration` (a dry run's offline one, say).
    static func run(configuration: () throws(ObjectStoreError) -> S3Configuration, _ output: OutputOptions,
                    _ body: (any ObjectStore) async throws -> Void) async throws {
        do {
            let store = try S3ObjectStore(configuration: try configuration())
            do {
                try await body(store)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            APISession.report(error, output)
            throw ExitCode(1)
        }
    }
}
