/// A Language Operator (`LY…`), prebuilt or custom.
public struct Operator: Sendable, Equatable, Codable {
    public var sid: String
    public var friendlyName: String?
    public var description: String?
    public var author: String?
    public var operatorType: String?
    public var version: Int?
    public var availability: String?
    public var config: JSONValue?
    public var accountSID: String?
    public var dateCreated: String?
    public var dateUpdated: String?
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case sid, description, author, version, availability, config, url
        case friendlyName = "friendly_name"
        case operatorType = "operator_type"
        case accountSID = "account_sid"
        case dateCreated = "date_created"
        case dateUpdated = "date_updated"
    }
}

/// An Operator Type (`EY…`): the kinds of operators that can be built.
public struct OperatorType: Sendable, Equatable, Codable {
    public var sid: String?
    public var name: String?
    public var friendlyName: String?
    public var description: String?
    public var outputType: String?
    public var availability: String?
    public var provider: String?
    public var supportedLanguages: [String]?
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case sid, name, description, availability, provider, url
        case friendlyName = "friendly_name"
        case outputType = "output_type"
        case supportedLanguages = "supported_languages"
    }
}

/// `GET /v2/Services/{GA}/Operators`: the operators attached to a service.
public struct ServiceOperators: Sendable, Equatable, Codable {
    public var serviceSID: String?
    public var operatorSIDs: [String]
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case url
        case serviceSID = "service_sid"
        case operatorSIDs = "operator_sids"
    }
}

/// What one operator found in one transcript. Result fields depend on the operator type.
public struct OperatorResult: Sendable, Equatable, Codable {
    public var operatorSID: String?
    public var operatorType: String?
    public var name: String?
    public var transcriptSID: String?
    public var extractMatch: Bool?
    public var matchProbability: JSONValue?
    public var normalizedResult: String?
    public var utteranceMatch: Bool?
    public var predictedLabel: String?
    public var predictedProbability: JSONValue?
    public var labelProbabilities: JSONValue?
    public var extractResults: JSONValue?
    public var utteranceResults: JSONValue?
    public var textGenerationResults: JSONValue?
    public var jsonResults: JSONValue?
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case name, url
        case operatorSID = "operator_sid"
        case operatorType = "operator_type"
        case transcriptSID = "transcript_sid"
        case extractMatch = "extract_match"
        case matchProbability = "match_probability"
        case normalizedResult = "normalized_result"
        case utteranceMatch = "utterance_match"
        case predictedLabel = "predicted_label"
        case predictedProbability = "predicted_probability"
        case labelProbabilities = "label_probabilities"
        case extractResults = "extract_results"
        case utteranceResults = "utterance_results"
        case textGenerationResults = "text_generation_results"
        case jsonResults = "json_results"
    }

    /// A one-line human summary of the result.
    public var summary: String {
        if let predictedLabel { return "label \(predictedLabel)" + (predictedProbability.map { " (\($0))" } ?? "") }
        if let normalizedResult { return normalizedResult }
        if let extractMatch { return "match: \(extractMatch)" + (extractResults.map { " \($0)" } ?? "") }
        if let textGenerationResults { return textGenerationResults.description }
        if let jsonResults { return jsonResults.description }
        if let utteranceMatch { return "utterance match: \(utteranceMatch)" }
        return "(no result)"
    }
}
