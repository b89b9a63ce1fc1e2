import AudioPrep
import CallPrepJSON
import ChannelMap
import Foundation
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
        case let error as IntelligenceClientError: return error.description
        case is DecodingError: return DecodingErrorText.describe(error)
        default: break
        }
        let nsError = error as NSError
        let path = (nsError.userInfo[NSFilePathErrorKey] as? String)
            ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path
        if let posix = posixCode(of: nsError) {
            return fileProblem(posix, path: path)
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
    private static func posixCode(of error: NSError) -> Int32? {
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        guard error.domain == NSCocoaErrorDomain else { return nil }
        switch error.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return ENOENT
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return EACCES
        case NSFileWriteOutOfSpaceError: return ENOSPC
        case NSFileWriteVolumeReadOnlyError: return EROFS
        default: return nil
        }
    }
}
