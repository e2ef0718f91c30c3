import Foundation
import Testing
@testable import ModelIO

/// Locates the committed fixtures and reads their recorded expectations.
enum Fixtures {
    static let folder: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("ModelIOTests resources lack the Fixtures folder")
        }
        return url
    }()

    /// The fixtures folder in the source tree (for re-recording golden files).
    static let sourceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

    /// Decodes a recorded JSON expectation (JSONDecoder reads doubles exactly).
    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: try Data(contentsOf: url(name)))
    }
}

/// What PyTorch reported about one tensor of a fixture checkpoint.
struct TensorRecord: Decodable {
    var dtype: String
    var shape: [Int]
    var strides: [Int]
    var storageOffset: Int
    var values: [Double]
}

struct CheckpointExpectation: Decodable {
    var keys: [String]
    var tensors: [String: TensorRecord]
}

/// A scratch folder removed when the value is dropped.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("modelio-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Runs `body` and returns the `ModelIOError` it throws; records an issue for anything else.
func modelIOError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> ModelIOError? {
    do {
        try body()
        Issue.record("expected a ModelIOError, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ModelIOError {
        return error
    } catch {
        Issue.record("expected a ModelIOError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
