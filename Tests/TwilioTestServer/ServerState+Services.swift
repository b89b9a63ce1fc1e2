import Foundation

extension ServerState {
    static let serviceFields = ["UniqueName", "AutoTranscribe", "DataLogging", "FriendlyName", "LanguageCode", "AutoRedaction",
                                "MediaRedaction", "WebhookUrl", "WebhookHttpMethod", "EncryptionCredentialSid"]

    func serviceRecord(sid: String, form: [String: String]) -> [String: Any] {
        let now = ServerPatterns.format(Date())
        return [
            "sid": sid, "account_sid": accountSID, "unique_name": form["UniqueName"] ?? NSNull(),
            "friendly_name": form["FriendlyName"] ?? NSNull(), "language_code": form["LanguageCode"] ?? "en-US",
            "auto_transcribe": form["AutoTranscribe"] == "true", "auto_redaction": form["AutoRedaction"] == "true",
            "media_redaction": form["MediaRedaction"] == "true", "data_logging": form["DataLogging"] == "true",
            "webhook_url": form["WebhookUrl"] ?? NSNull(), "webhook_http_method": form["WebhookHttpMethod"] ?? NSNull(),
            "encryption_credential_sid": NSNull(), "read_only_attached_operator_sids": [String](), "version": 1,
            "date_created": now, "date_updated": now, "url": baseURL + "/v2/Services/" + sid,
        ]
    }

    /// `/v2/Services…` routes (lock held).
    func routeServices(_ call: Call) -> ServerResponse {
        let parts = call.parts
        if parts.count >= 4, parts[3] == "Operators" { return routeServiceOperators(call) }
        switch (call.method, parts.count) {
        case ("POST", 2):
            if let refusal = checkNames(call.form, allowed: Set(Self.serviceFields)) ?? checkServiceValues(call) { return refusal }
            guard let name = call.formValue("UniqueName"), !name.isEmpty else { return error(400, 20001, "Missing required parameter UniqueName in the post body") }
            guard !services.contains(where: { $0["unique_name"] as? String == name }) else { return error(409, 20001, "UniqueName \(name) already exists") }
            if call.formValue("MediaRedaction") == "true", call.formValue("AutoRedaction") != "true" {
                return error(400, 20001, "MediaRedaction requires AutoRedaction")
            }
            let record = serviceRecord(sid: nextSID("GA"), form: Dictionary(call.form, uniquingKeysWith: { first, _ in first }))
            services.append(record)
            return json(201, record)
        case ("GET", 2):
            if let refusal = checkNames(call.query, allowed: ["PageSize", "Page", "PageToken"]) { return refusal }
            return page(services, key: "services", call: call, maxPageSize: 1000, filters: [])
        case (_, 3):
            guard let index = services.firstIndex(where: { $0["sid"] as? String == parts[2] || $0["unique_name"] as? String == parts[2] }) else {
                return error(404, 20404, "The requested resource /v2/Services/\(parts[2]) was not found")
            }
            switch call.method {
            case "GET": return json(200, services[index])
            case "DELETE":
                services.remove(at: index)
                return ServerResponse(status: 204, headers: commonHeaders())
            case "POST":
                if let refusal = checkNames(call.form, allowed: Set(Self.serviceFields)) ?? checkServiceValues(call) { return refusal }
                let version = services[index]["version"] as? Int ?? 1
                if let ifMatch = call.request.header("If-Match"), ifMatch != String(version) {
                    return error(412, 20412, "If-Match \(ifMatch) does not match the current version \(version)")
                }
                if call.formValue("LanguageCode") != nil { return error(400, 20001, "LanguageCode cannot be changed") }
                let mapping: [String: String] = ["UniqueName": "unique_name", "FriendlyName": "friendly_name", "WebhookUrl": "webhook_url",
                                                 "WebhookHttpMethod": "webhook_http_method", "EncryptionCredentialSid": "encryption_credential_sid"]
                for (name, value) in call.form {
                    if let key = mapping[name] { services[index][key] = value }
                    else if ["AutoTranscribe", "DataLogging", "AutoRedaction", "MediaRedaction"].contains(name) {
                        let key = name.replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression).lowercased()
                        services[index][key] = value == "true"
                    }
                }
                services[index]["version"] = version + 1
                return json(200, services[index])
            default: return error(405, 20004, "Method not allowed")
            }
        default:
            return error(404, 20404, "The requested resource \(call.request.path) was not found")
        }
    }

    private func checkServiceValues(_ call: Call) -> ServerResponse? {
        for name in ["AutoTranscribe", "DataLogging", "AutoRedaction", "MediaRedaction"] {
            if let refusal = checkBool(call.formValue(name), name) { return refusal }
        }
        if let method = call.formValue("WebhookHttpMethod"), !["GET", "POST", "NULL"].contains(method) {
            return error(400, 20001, "WebhookHttpMethod must be GET, POST or NULL")
        }
        if let name = call.formValue("FriendlyName"), name.count > 64 { return error(400, 20001, "FriendlyName is too long") }
        return nil
    }

    private func routeServiceOperators(_ call: Call) -> ServerResponse {
        let service = call.parts[2]
        guard services.contains(where: { $0["sid"] as? String == service }) else {
            return error(404, 20404, "The requested resource /v2/Services/\(service) was not found")
        }
        if call.parts.count == 4, call.method == "GET" {
            return json(200, ["service_sid": service, "operator_sids": attachedOperators[service] ?? [], "url": baseURL + call.request.path])
        }
        guard call.parts.count == 5, ServerPatterns.sid(call.parts[4], prefix: "LY") else { return error(400, 20001, "Invalid OperatorSid") }
        let op = call.parts[4]
        guard operatorRecords().contains(where: { $0["sid"] as? String == op }) else { return error(404, 20404, "Operator \(op) not found") }
        switch call.method {
        case "POST":
            guard call.form.isEmpty else { return error(400, 20001, "Attach takes no parameters") }
            if !(attachedOperators[service] ?? []).contains(op) { attachedOperators[service, default: []].append(op) }
            return json(202, ["service_sid": service, "operator_sid": op, "url": baseURL + call.request.path])
        case "DELETE":
            attachedOperators[service]?.removeAll { $0 == op }
            return ServerResponse(status: 204, headers: commonHeaders())
        default:
            return error(405, 20004, "Method not allowed")
        }
    }
}
