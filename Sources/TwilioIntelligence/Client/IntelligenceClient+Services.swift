extension IntelligenceClient {
    /// `POST /v2/Services`.
    public func createService(_ settings: ServiceSettings) async throws -> Service {
        try settings.validate(creating: true)
        return try await executor.decode(Service.self, APIRequest(method: "POST", url: v2 + "/Services", form: settings.formFields()))
    }

    /// `GET /v2/Services`.
    public func listServices(pageSize: Int? = nil, limit: Int? = nil) throws(IntelligenceClientError) -> PagedSequence<Service> {
        try Self.checkPageSize(pageSize, max: 1000)
        return PagedSequence(executor: executor, firstURL: makeURL(v2, "/Services", [("PageSize", pageSize.map(String.init))]), limit: limit)
    }

    /// `GET /v2/Services/{Sid}`.
    public func service(_ sid: String) async throws -> Service {
        let sid = try Self.pathComponent(sid, field: "ServiceSid")
        return try await executor.decode(Service.self, APIRequest(method: "GET", url: v2 + "/Services/" + sid))
    }

    /// `POST /v2/Services/{Sid}`; with `ifMatch` (the service's `version`) the update only
    /// applies if nobody changed the service meanwhile.
    public func updateService(_ sid: String, _ settings: ServiceSettings, ifMatch: Int? = nil) async throws -> Service {
        let sid = try Self.pathComponent(sid, field: "ServiceSid")
        try settings.validate(creating: false)
        var request = APIRequest(method: "POST", url: v2 + "/Services/" + sid, form: settings.formFields())
        if let ifMatch { request.extraHeaders.append(("If-Match", String(ifMatch))) }
        return try await executor.decode(Service.self, request)
    }

    /// `DELETE /v2/Services/{Sid}`.
    public func deleteService(_ sid: String) async throws {
        let sid = try Self.pathComponent(sid, field: "ServiceSid")
        _ = try await executor.execute(APIRequest(method: "DELETE", url: v2 + "/Services/" + sid))
    }
}
