import Foundation

extension ServerState {
    static let prebuiltOperatorSIDs = ["LY" + String(repeating: "1", count: 32), "LY" + String(repeating: "2", count: 32)]

    func operatorRecords() -> [[String: Any]] {
        let prebuilt: [[String: Any]] = zip(Self.prebuiltOperatorSIDs, ["Sentiment", "Call Summary"]).map { sid, name in
            ["sid": sid, "friendly_name": name, "author": "twilio", "operator_type": "conversation-classify", "version": 1,
             "availability": "general-availability", "config": [String: Any](), "account_sid": NSNull(), "url": baseURL + "/v2/Operators/PreBuilt/" + sid]
        }
        return prebuilt + customOperators
    }

    /// `/v2/Operators…` and `/v2/OperatorTypes…` routes (lock held).
    func routeOperators(_ call: Call) -> ServerResponse {
        let parts = call.parts
        let listParams: Set<String> = ["Availability", "LanguageCode", "PageSize", "Page", "PageToken"]
        if parts[1] == "OperatorTypes" {
            let types: [[String: Any]] = [
                ["sid": "EY" + String(repeating: "3", count: 32), "name": "conversation-classify", "friendly_name": "Conversation Classify",
                 "output_type": "text-classification", "availability": "general-availability", "provider": "openai", "supported_languages": ["en-US"]],
                ["sid": "EY" + String(repeating: "4", count: 32), "name": "text-generation", "friendly_name": "Text Generation",
                 "output_type": "text-generation", "availability": "beta", "provider": "openai", "supported_languages": ["en-US"]],
            ]
            if parts.count == 2, call.method == "GET" {
                if let refusal = checkNames(call.query, allowed: ["LanguageCode", "PageSize", "Page", "PageToken"]) { return refusal }
                return page(types, key: "operator_types", call: call, maxPageSize: 1000, filters: [])
            }
            if parts.count == 3, call.method == "GET", let type = types.first(where: { $0["sid"] as? String == parts[2] || $0["name"] as? String == parts[2] }) {
                return json(200, type)
            }
            return error(404, 20404, "The requested resource \(call.request.path) was not found")
        }
        let kind = parts.count >= 3 && ["PreBuilt", "Custom"].contains(parts[2]) ? parts[2] : nil
        let all = operatorRecords()
        let pool: [[String: Any]] = switch kind {
        case "PreBuilt": all.filter { $0["author"] as? String == "twilio" }
        case "Custom": customOperators
        default: all
        }
        let sidIndex = kind == nil ? 2 : 3
        if parts.count == sidIndex {
            switch call.method {
            case "GET":
                if let refusal = checkNames(call.query, allowed: listParams) { return refusal }
                let filtered = pool.filter { call.queryValue("Availability") == nil || $0["availability"] as? String == call.queryValue("Availability") }
                return page(filtered, key: "operators", call: call, maxPageSize: 1000, filters: call.query.filter { ["Availability", "LanguageCode"].contains($0.0) })
            case "POST" where kind == "Custom":
                if let refusal = checkNames(call.form, allowed: ["FriendlyName", "OperatorType", "Config"]) { return refusal }
                guard let name = call.formValue("FriendlyName"), let type = call.formValue("OperatorType"), let configText = call.formValue("Config") else {
                    return error(400, 20001, "FriendlyName, OperatorType and Config are required")
                }
                guard let config = (try? JSONSerialization.jsonObject(with: Data(configText.utf8))) as? [String: Any] else {
                    return error(400, 20001, "Config must be a JSON object")
                }
                let sid = nextSID("LY")
                let record: [String: Any] = ["sid": sid, "friendly_name": name, "author": accountSID, "operator_type": type, "version": 1,
                                             "availability": "general-availability", "config": config, "account_sid": accountSID,
                                             "url": baseURL + "/v2/Operators/Custom/" + sid]
                customOperators.append(record)
                return json(202, record)
            default:
                return error(405, 20004, "Method not allowed")
            }
        }
        guard parts.count == sidIndex + 1 else { return error(404, 20404, "Not found") }
        let sid = parts[sidIndex]
        guard ServerPatterns.sid(sid, prefix: "LY") else { return error(400, 20001, "Invalid Sid") }
        guard let record = pool.first(where: { $0["sid"] as? String == sid }) else { return error(404, 20404, "Operator \(sid) not found") }
        switch (call.method, kind) {
        case ("GET", _):
            return json(200, record)
        case ("POST", "Custom"):
            if let refusal = checkNames(call.form, allowed: ["FriendlyName", "Config"]) { return refusal }
            guard let index = customOperators.firstIndex(where: { $0["sid"] as? String == sid }) else { return error(404, 20404, "Not found") }
            let version = customOperators[index]["version"] as? Int ?? 1
            if let ifMatch = call.request.header("If-Match"), ifMatch != String(version) { return error(412, 20412, "Version mismatch") }
            guard let name = call.formValue("FriendlyName"), let configText = call.formValue("Config"),
                  let config = (try? JSONSerialization.jsonObject(with: Data(configText.utf8))) as? [String: Any] else {
                return error(400, 20001, "FriendlyName and Config (JSON object) are required")
            }
            customOperators[index]["friendly_name"] = name
            customOperators[index]["config"] = config
            customOperators[index]["version"] = version + 1
            return json(202, customOperators[index])
        case ("DELETE", "Custom"):
            customOperators.removeAll { $0["sid"] as? String == sid }
            return ServerResponse(status: 204, headers: commonHeaders())
        default:
            return error(405, 20004, "Method not allowed")
        }
    }
}
