import Foundation

extension ServerState {
    static var insightsRows: [[String: Any]] { (1...5).map { ["Id": "conv\($0)", "Channels": ["voice"], "Count": $0] } }

    /// `/v3/InsightsDomains/Conversations/…` routes (lock held).
    func routeInsights(_ call: Call) -> ServerResponse {
        let path = "/" + call.parts.joined(separator: "/")
        switch (call.method, path) {
        case ("GET", "/v3/InsightsDomains/Conversations/Metadata"):
            return json(200, ["domain": "Conversations", "cubes": [["name": "Conversations", "measures": [["name": "Count", "type": "number"]],
                                                                    "dimensions": [["name": "Channels", "type": "string"]]]]])
        case ("POST", "/v3/InsightsDomains/Conversations/Query"):
            guard call.request.header("Content-Type") == "application/json",
                  let body = (try? JSONSerialization.jsonObject(with: Data(call.request.body))) as? [String: Any],
                  let query = body["query"] as? [String: Any], query["measures"] is [String] || query["dimensions"] is [String] else {
                return json(400, ["code": 20001, "message": "body must be JSON {query:{measures,dimensions,…}}", "httpStatusCode": 400, "userError": true])
            }
            if let refusal = checkNames(call.query, allowed: ["pageSize"]) { return refusal }
            let size = Int(call.queryValue("pageSize") ?? "2") ?? 2
            return insightsPage(offset: 0, size: size)
        case ("GET", "/v3/InsightsDomains/Conversations/Query"):
            guard let token = call.queryValue("pageToken"), token.hasPrefix("tok-"), let rest = Optional(token.dropFirst(4).split(separator: ":")),
                  rest.count == 2, let offset = Int(rest[0]), let size = Int(rest[1]) else {
                return json(400, ["code": 20001, "message": "pageToken is required", "httpStatusCode": 400, "userError": true])
            }
            return insightsPage(offset: offset, size: size)
        default:
            return error(404, 20404, "The requested resource \(path) was not found")
        }
    }

    private func insightsPage(offset: Int, size: Int) -> ServerResponse {
        let rows = Array(Self.insightsRows.dropFirst(offset).prefix(size))
        var meta: [String: Any] = ["key": "items", "pageSize": size]
        if offset + size < Self.insightsRows.count { meta["nextToken"] = "tok-\(offset + size):\(size)" }
        return json(200, ["domain": "Conversations", "items": rows, "meta": meta])
    }
}
