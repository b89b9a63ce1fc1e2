import CallPrepJSON

/// A Language Operator (`LY…`), prebuilt or custom.
public struct Operator: Sendable, Equatable, Codable {
    /// The `sid` field.
    public var sid: String
    /// The `friendly_name` field as the API sends it (`nil` when absent).
    public var friendlyName: String?
    /// A readable rendering of the value.
    public var description: String?
    /// The `author` field as the API sends it (`nil` when absent).
    public var author: String?
    /// The `operator_type` field as the API sends it (`nil` when absent).
    public var operatorType: String?
    /// The `version` field as the API sends it (`nil` when absent).
    public var version: Int?
    /// The `availability` field as the API sends it (`nil` when absent).
    public var availability: String?
    /// The `config` field as the API sends it (`nil` when absent).
    public var config: JSONValue?
    /// The `account_sid` field as the API sends it (`nil` when absent).
    public var accountSID: String?
    /// The `date_created` field as the API sends it (`nil` when absent).
    public var dateCreated: String?
    /// The `date_updated` field as the API sends it (`nil` when absent).
    public var dateUpdated: String?
    /// The `url` field as the API sends it (`nil` when absent).
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
    /// The `sid` field as the API sends it (`nil` when absent).
    public var sid: String?
    /// The `name` field as the API sends it (`nil` when absent).
    public var name: String?
    /// The `friendly_name` field as the API sends it (`nil` when absent).
    public var friendlyName: String?
    /// A readable rendering of the value.
    public var description: String?
    /// The `output_type` field as the API sends it (`nil` when absent).
    public var outputType: String?
    /// The `availability` field as the API sends it (`nil` when absent).
    public var availability: String?
    /// The `provider` field as the API sends it (`nil` when absent).
    public var provider: String?
    /// The `supported_languages` field as the API sends it (`nil` when absent).
    public var supportedLanguages: [String]?
    /// The `url` field as the API sends it (`nil` when absent).
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
    /// The `service_sid` field as the API sends it (`nil` when absent).
    public var serviceSID: String?
    /// The `operator_sids` field.
    public var operatorSIDs: [String]
    /// The `url` field as the API sends it (`nil` when absent).
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case url
        case serviceSID = "service_sid"
        case operatorSIDs = "operator_sids"
    }
}

/// What one operator found in one transcript. Result fields depend on the operator type.
public struct OperatorResult: Sendable, Equatable, Codable {
    /// The `operator_sid` field as the API sends it (`nil` when absent).
    public var operatorSID: String?
    /// The `operator_type` field as the API sends it (`nil` when absent).
    public var operatorType: String?
    /// The `name` field as the API sends it (`nil` when absent).
    public var name: String?
    /// The `transcript_sid` field as the API sends it (`nil` when absent).
    public var transcriptSID: String?
    /// The `extract_match` field as the API sends it (`nil` when absent).
    public var extractMatch: Bool?
    /// The `match_probability` field as the API sends it (`nil` when absent).
    public var matchProbability: JSONValue?
    /// The `normalized_result` field as the API sends it (`nil` when absent).
    public var normalizedResult: String?
    /// The `utterance_match` field as the API sends it (`nil` when absent).
    public var utteranceMatch: Bool?
    /// The `predicted_label` field as the API sends it (`nil` when absent).
    public var predictedLabel: String?
    /// The `predicted_probability` field as the API sends it (`nil` when absent).
    public var predictedProbability: JSONValue?
    /// The `label_probabilities` field as the API sends it (`nil` when absent).
    public var labelProbabilities: JSONValue?
    /// The `extract_results` field as the API sends it (`nil` when absent).
    public var extractResults: JSONValue?
    /// The `utterance_results` field as the API sends it (`nil` when absent).
    public var utteranceResults: JSONValue?
    /// The `text_generation_results` field as the API sends it (`nil` when absent).
    public var textGenerationResults: JSONValue?
    /// The `json_results` field as the API sends it (`nil` when absent).
    public var jsonResults: JSONValue?
    /// The `url` field as the API sends it (`nil` when absent).
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
