import Foundation
import Testing
@testable import TwilioIntelligence

@Suite("X-Twilio-Signature with the API-NOTES §10 vectors")
struct WebhookSignatureTests {
    let validator = WebhookSignatureValidator(authToken: "12345")

    static let formParameters = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
                                 ("From", "+12349013030"), ("To", "+18005551212")]

    @Test("form vector")
    func formVector() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(validator.signature(url: url, parameters: Self.formParameters) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        #expect(validator.isValid(url: url, parameters: Self.formParameters.reversed(), signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ="))
        #expect(validator.isValid(url: "https://mycompany.com:443/myapp.php?foo=1&bar=2", parameters: Self.formParameters, signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ="))
        #expect(!validator.isValid(url: url, parameters: Self.formParameters.dropLast(), signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ="))
        #expect(!WebhookSignatureValidator(authToken: "54321").isValid(url: url, parameters: Self.formParameters, signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ="))
    }

    @Test("JSON vector with bodySHA256")
    func jsonVector() {
        let body = Array(#"{"account_sid":"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","service_sid":"GAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","transcript_sid":"GTcccccccccccccccccccccccccccccccc","customer_key":"meeting-42","event_type":"voice_intelligence_transcript_available"}"#.utf8)
        let url = "https://example.com/hooks/ci?bodySHA256=c23ad56c177cf54fae808e336658584d0994860ab4b0ce1956913d4e62e5bc56"
        #expect(validator.isValid(url: url, jsonBody: body, signature: "sVMrH5QIqKE3kmY/E9UgENm5+ic="))
        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "X")
        #expect(!validator.isValid(url: url, jsonBody: tampered, signature: "sVMrH5QIqKE3kmY/E9UgENm5+ic="))
        #expect(!validator.isValid(url: "https://example.com/hooks/ci", jsonBody: body, signature: "sVMrH5QIqKE3kmY/E9UgENm5+ic="))
    }
}
