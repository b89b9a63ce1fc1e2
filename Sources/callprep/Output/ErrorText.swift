import AudioPrep
import CallPrepJSON
import ChannelMap
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ObjectStore
import TwilioIntelligence

/// Any error as a sentence in callprep's words: the file or field concerned and what to do.
/// callprep's own errors already read that way; Foundation's (`The file “x” couldn’t be opened
/// because there is no such file.`, `DecodingError.dataCorrupted(…)`) are rewritten here.
enum ErrorText {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as AudioPrepError: return error.description
        case let error as ChannelMapError: return error.description
        case let error as TwilioAPIError: return error.description
        case let error as UploadError: return error.description
        case let error as ObjectStoreError: return error.description
        case let error as IntelligenceClientError: return error.description
        case let error as MediaDownloadError: return error.description
        case is DecodingError: return DecodingErrorText.describe(error)
        default: break
        }
        if let error = error as? POSIXError {
            return fileProblem(error.code.rawValue, path: nil)
        }
        if let error = error as? CocoaError, let code = posixCode(of: error) {
            return fileProblem(code, path: error.filePath ?? error.url?.path)
        }
        return String(describing: error)
    }

    /// A file operation's failure: `PATH: no such file; check the path`.
    static func fileProblem(_ code: Int32, path: String?) -> String {
        let what: String = switch code {
        case ENOENT: "no such file; check the path"
        case EACCES, EPERM: "permission denied; check the file's permissions"
        case EISDIR: "is a folder, not a file"
        case ENOTDIR: "a part of the path is not a folder"
        case ENOSPC: "the disk is full; free some space and try again"
        case EROFS: "the file system is read-only"
        default: String(cString: strerror(code)).lowercased()
        }
        return (path.map { "\($0): " } ?? "") + what
    }

    /// The errno behind a Foundation file error, when there is one.
    private static func posixCode(of error: CocoaError) -> Int32? {
        if let underlying = error.underlying as? POSIXError { return underlying.code.rawValue }
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
        case .fileReadNoPermission, .fileWriteNoPermission: return EACCES
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteVolumeReadOnly: return EROFS
        default: return nil
        }
    }
}
