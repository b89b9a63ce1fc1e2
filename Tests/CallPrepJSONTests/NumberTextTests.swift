@testable import CallPrepJSON
import Foundation
import Testing

/// `NumberText` writes what Foundation's `String(format:)`, which it replaces, wrote for the same
/// values: the rounding of ties and near-ties, huge values (longer than the first buffer),
/// negatives, NaN and infinities.
@Suite struct NumberTextTests {
    static let values: [Double] = [
        0, -0.0, 0.0005, 0.0015, 0.125, 0.375, 2.0005, 16.7354375, 3599.9995, 1e-7, -1.25, -0.04,
        123_456_789.987_654_3, 1e21, 1e300, -1e300, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
        .nan, .infinity, -.infinity,
    ]

    @Test func fixedMatchesStringFormat() {
        for value in Self.values {
            for digits in [0, 1, 3, 6] {
                #expect(NumberText.fixed(value, digits: digits) == String(format: "%.\(digits)f", value), "\(value) \(digits)")
            }
        }
        #expect(NumberText.fixed(16.7354375, digits: 3) == "16.735")
        #expect(NumberText.fixed(1e300, digits: 1).count == 303)
    }

    @Test func zeroPaddedMatchesStringFormat() {
        for value: Int64 in [0, 7, 59, 100, 3600, -5, 12_345_678_901, .max, .min] {
            for width in [2, 3, 25] {
                #expect(NumberText.zeroPadded(value, width: width) == String(format: "%0\(width)lld", value), "\(value) \(width)")
            }
        }
        #expect(NumberText.zeroPadded(7, width: 2) == "07")
    }

    @Test func hexMatchesStringFormat() {
        let bytes: [UInt8] = Array(0...255)
        #expect(NumberText.hex(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(NumberText.hex([]) == "")
    }

    @Test func sha256HexIsSixtyFourLowercaseDigits() {
        let digest = NumberText.hex((0..<32).map { UInt8($0 * 8) })
        #expect(NumberText.isSHA256Hex(digest))
        #expect(!NumberText.isSHA256Hex(digest.uppercased()))
        #expect(!NumberText.isSHA256Hex(String(digest.dropLast())))
        #expect(!NumberText.isSHA256Hex(digest + "0"))
        #expect(!NumberText.isSHA256Hex(String(digest.dropLast()) + "g"))
        #expect(!NumberText.isSHA256Hex(""))
    }

    @Test func trimmingWhitespaceMatchesFoundation() {
        for text in ["", " ", "a", "  a b  ", "\t\na\r\n", "\u{3000}x\u{A0}", "a\u{2003}", " \u{1F600} "] {
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        }
    }
}
