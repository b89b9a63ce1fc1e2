import TwilioIntelligence

/// The workers' Twilio transport with each exchange counted by method and status (`error` when
/// no response came), for `callprep_twilio_requests_total`. Requests and responses pass
/// unchanged; nothing of them but the method and the status is kept.
struct CountingTransport: HTTPTransport {
    let base: any HTTPTransport
    let count: @Sendable (_ method: String, _ status: String) -> Void

    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        do {
            let response = try await base.send(request, timeout: timeout)
            count(request.method, String(response.status))
            return response
        } catch {
            count(request.method, "error")
            throw error
        }
    }

    func receive(_ request: TransportRequest, idleTimeout: Duration,
                 body: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws -> TransportResponse {
        do {
            let response = try await base.receive(request, idleTimeout: idleTimeout, body: body)
            count(request.method, String(response.status))
            return response
        } catch {
            count(request.method, "error")
            throw error
        }
    }
}
