import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which operator collection to list.
public enum OperatorKind: String, Sendable, CaseIterable {
    /// `/v2/Operators`: all operators the account can use.
    case all
    /// `/v2/Operators/PreBuilt`.
    case prebuilt
    /// `/v2/Operators/Custom`.
    case custom

    var path: String {
        switch self {
        case .all: "/Operators"
        case .prebuilt: "/Operators/PreBuilt"
        case .custom: "/Operators/Custom"
        }
    }
}

extension IntelligenceClient {
    /// Lists operators of `kind`, optionally filtered by availability and language.
    public func listOperators(_ kind: OperatorKind = .all, availability: String? = nil, languageCode: String? = nil,
                              pageSize: Int? = nil, limit: Int? = nil) throws(IntelligenceClientError) -> PagedSequence<Operator> {
        try Self.checkPageSize(pageSize, max: 1000)
        let url = makeURL(v2, kind.path, [("Availability", availability), ("LanguageCode", languageCode), ("PageSize", pageSize.map(String.init))])
        return PagedSequence(executor: executor, firstURL: url, limit: limit)
    }

    /// Fetches one operator `LY…` from `kind`'s collection.
    public func `operator`(_ sid: String, kind: OperatorKind = .all) async throws -> Operator {
        let sid = try Self.checkSID(sid, .operator, "OperatorSid")
        return try await executor.decode(Operator.self, APIRequest(method: "GET", url: v2 + kind.path + "/" + sid))
    }

    /// `POST /v2/Operators/Custom` (answers 202).
    public func createCustomOperator(friendlyName: String, operatorType: String, config: JSONValue) async throws -> Operator {
        let form = try Self.customOperatorForm(friendlyName: friendlyName, operatorType: operatorType, config: config)
        return try await executor.decode(Operator.self, APIRequest(method: "POST", url: v2 + "/Operators/Custom", form: form))
    }

    /// `POST /v2/Operators/Custom/{LY}` with optional `If-Match` version.
    public func updateCustomOperator(_ sid: String, friendlyName: String, config: JSONValue, ifMatch: Int? = nil) async throws -> Operator {
        let sid = try Self.checkSID(sid, .operator, "OperatorSid")
        var form = try Self.customOperatorForm(friendlyName: friendlyName, operatorType: nil, config: config)
        form.removeAll { $0.0 == "OperatorType" }
        var request = APIRequest(method: "POST", url: v2 + "/Operators/Custom/" + sid, form: form)
        if let ifMatch { request.extraHeaders.append(("If-Match", String(ifMatch))) }
        return try await executor.decode(Operator.self, request)
    }

    /// `DELETE /v2/Operators/Custom/{LY}`.
    public func deleteCustomOperator(_ sid: String) async throws {
        let sid = try Self.checkSID(sid, .operator, "OperatorSid")
        _ = try await executor.execute(APIRequest(method: "DELETE", url: v2 + "/Operators/Custom/" + sid))
    }

    /// `GET /v2/OperatorTypes`.
    public func listOperatorTypes(languageCode: String? = nil, pageSize: Int? = nil, limit: Int? = nil) throws(IntelligenceClientError) -> PagedSequence<OperatorType> {
        try Self.checkPageSize(pageSize, max: 1000)
        return PagedSequence(executor: executor, firstURL: makeURL(v2, "/OperatorTypes", [("LanguageCode", languageCode), ("PageSize", pageSize.map(String.init))]), limit: limit)
    }

    /// `GET /v2/OperatorTypes/{Sid}` (an `EY…` SID or a type name).
    public func operatorType(_ sid: String) async throws -> OperatorType {
        let sid = try Self.pathComponent(sid, field: "OperatorTypeSid")
        return try await executor.decode(OperatorType.self, APIRequest(method: "GET", url: v2 + "/OperatorTypes/" + sid))
    }

    /// `GET /v2/Services/{GA}/Operators`.
    public func serviceOperators(_ serviceSID: String) async throws -> ServiceOperators {
        let service = try Self.checkSID(serviceSID, .service, "ServiceSid")
        return try await executor.decode(ServiceOperators.self, APIRequest(method: "GET", url: v2 + "/Services/\(service)/Operators"))
    }

    /// `POST /v2/Services/{GA}/Operators/{LY}`: attaches an operator (answers 202).
    public func attachOperator(_ operatorSID: String, to serviceSID: String) async throws {
        let service = try Self.checkSID(serviceSID, .service, "ServiceSid")
        let op = try Self.checkSID(operatorSID, .operator, "OperatorSid")
        _ = try await executor.execute(APIRequest(method: "POST", url: v2 + "/Services/\(service)/Operators/\(op)"))
    }

    /// `DELETE /v2/Services/{GA}/Operators/{LY}`: detaches an operator.
    public func detachOperator(_ operatorSID: String, from serviceSID: String) async throws {
        let service = try Self.checkSID(serviceSID, .service, "ServiceSid")
        let op = try Self.checkSID(operatorSID, .operator, "OperatorSid")
        _ = try await executor.execute(APIRequest(method: "DELETE", url: v2 + "/Services/\(service)/Operators/\(op)"))
    }

    static func customOperatorForm(friendlyName: String, operatorType: String?, config: JSONValue) throws(IntelligenceClientError) -> [(String, String)] {
        guard !friendlyName.isEmpty else { throw .invalidInput(field: "FriendlyName", message: "required") }
        guard case .object = config else { throw .invalidInput(field: "Config", message: "must be a JSON object") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(config) else { throw .invalidInput(field: "Config", message: "cannot be encoded as JSON") }
        var form = [("FriendlyName", friendlyName)]
        if let operatorType {
            guard !operatorType.isEmpty else { throw .invalidInput(field: "OperatorType", message: "required") }
            form.append(("OperatorType", operatorType))
        }
        form.append(("Config", String(decoding: data, as: UTF8.self)))
        return form
    }
}
