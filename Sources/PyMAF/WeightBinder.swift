import ModelIO
import Tensor

/// Binds checkpoint tensors to layers by key, collecting every problem before failing.
///
/// Each layer asks for its keys with the shape it needs; a missing key or a wrong shape is
/// recorded and a zero tensor returned so binding can go on. `finish()` then throws one
/// `PyMAFError.weightsMismatch` listing missing keys, shape mismatches and the keys nobody
/// asked for (except those declared ignorable, such as the training-only `dp_head`).
final class WeightBinder {
    let checkpointName: String
    private let tensors: [String: StoredTensor]
    private let order: [String]
    private var used: Set<String> = []
    private var ignoredPrefixes: [String] = []
    private var ignoredSuffixes: [String] = []
    private var missing: [String] = []
    private var mismatches: [PyMAFError.ShapeMismatch] = []
    private var readError: PyMAFError?

    init(stateDict: [(key: String, tensor: StoredTensor)], checkpointName: String) {
        self.checkpointName = checkpointName
        var tensors: [String: StoredTensor] = [:]
        for (key, tensor) in stateDict { tensors[key] = tensor }
        self.tensors = tensors
        self.order = stateDict.map(\.key)
    }

    /// Keys starting with `prefix` are known and not used (they are not reported as unexpected).
    func ignore(prefix: String) { ignoredPrefixes.append(prefix) }
    /// Keys ending with `suffix` are known and not used.
    func ignore(suffix: String) { ignoredSuffixes.append(suffix) }

    func contains(_ key: String) -> Bool { tensors[key] != nil }

    /// The shape stored under `key`, if any.
    func shape(of key: String) -> [Int]? { tensors[key]?.shape }

    /// The values under `key`, which must have `shape`; zeros (and a recorded problem) otherwise.
    func floats(_ key: String, shape: [Int]) -> [Float] {
        let zeros = [Float](repeating: 0, count: shape.reduce(1, *))
        guard let tensor = tensors[key] else {
            missing.append(key)
            return zeros
        }
        used.insert(key)
        // A (1, n) or (n, 1) buffer is accepted for (n) and the reverse: same elements.
        guard tensor.shape == shape || (tensor.shape.reduce(1, *) == shape.reduce(1, *) && tensor.shape.filter { $0 != 1 } == shape.filter { $0 != 1 }) else {
            mismatches.append(.init(key: key, expected: shape, actual: tensor.shape))
            return zeros
        }
        do {
            return try tensor.floats()
        } catch {
            if readError == nil { readError = .unreadableTensor(checkpoint: checkpointName, key: key, reason: "\(error)") }
            return zeros
        }
    }

    /// Integer values under `key` (any integer or integral float dtype), or nil when absent.
    func integers(_ key: String, count: Int) -> [Int]? {
        guard let tensor = tensors[key] else { return nil }
        used.insert(key)
        guard tensor.count == count else {
            mismatches.append(.init(key: key, expected: [count], actual: tensor.shape))
            return nil
        }
        do {
            return try tensor.int64s().map { Int($0) }
        } catch {
            if readError == nil { readError = .unreadableTensor(checkpoint: checkpointName, key: key, reason: "\(error)") }
            return nil
        }
    }

    /// A tensor of `shape` under `key`.
    func tensor(_ key: String, shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: floats(key, shape: shape))
    }

    /// Marks `key` as read without converting it (a duplicate of a buffer already bound).
    func markUsed(_ key: String) {
        if tensors[key] != nil { used.insert(key) }
    }

    /// Throws the collected problems, if any; keys nobody asked for count only when
    /// `reportUnexpected` (false when only part of the checkpoint is bound).
    func finish(reportUnexpected: Bool = true) throws {
        if let readError { throw readError }
        let unexpected = !reportUnexpected ? [] : order.filter { key in
            !used.contains(key) && !ignoredPrefixes.contains { key.hasPrefix($0) } && !ignoredSuffixes.contains { key.hasSuffix($0) }
        }
        if !missing.isEmpty || !unexpected.isEmpty || !mismatches.isEmpty {
            throw PyMAFError.weightsMismatch(checkpoint: checkpointName, missing: missing, unexpected: unexpected, shapeMismatches: mismatches)
        }
    }
}
