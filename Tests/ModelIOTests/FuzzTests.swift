import Foundation
import Testing
@testable import ModelIO

/// A small, fast, seedable generator (SplitMix64) so every mutated input can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Byte-level mutations of a valid file: bit flips, boundary values, 32-bit length fields,
/// truncation, insertion, deletion and duplication.
enum Mutator {
    static let interestingBytes: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x2E, 0x28, 0x94]
    static let interestingWords: [UInt32] = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF, 0x1000_0000]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { return bytes }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0:
                bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1:
                bytes[at] = interestingBytes.randomElement(using: &rng)!
            case 2:
                let word = interestingWords.randomElement(using: &rng)!
                for k in 0..<4 where at + k < bytes.count { bytes[at + k] = UInt8(truncatingIfNeeded: word >> (8 * UInt32(k))) }
            case 3:
                bytes.removeSubrange(at...)
            case 4:
                let count = Int.random(in: 1...8, using: &rng)
                bytes.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            case 5:
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
            default:
                let length = min(bytes.count - at, Int.random(in: 1...64, using: &rng))
                let chunk = Array(bytes[at..<(at + length)])
                bytes.insert(contentsOf: chunk, at: Int.random(in: 0...bytes.count, using: &rng))
            }
        }
        return bytes
    }
}

/// Seeded mutation fuzzing of every reader, run on each `make test`: each mutated input must be
/// decoded or refused with a `ModelIOError` — never a crash, a hang or another error. A failure
/// prints the seed and iteration that reproduce it.
@Suite struct FuzzTests {
    static let iterations = 150

    enum Reader: String, CaseIterable {
        case pickle, smpl, checkpoint, npz, npy
    }

    static let targets: [(file: String, reader: Reader)] = [
        ("protocols/fuzz_seed_p0.pkl", .pickle), ("protocols/fuzz_seed_p1.pkl", .pickle),
        ("protocols/fuzz_seed_p2.pkl", .pickle), ("protocols/fuzz_seed_p3.pkl", .pickle),
        ("protocols/fuzz_seed_p4.pkl", .pickle), ("protocols/fuzz_seed_p5.pkl", .pickle),
        ("smpl_synthetic.pkl", .smpl),
        ("tiny_zip.pt", .checkpoint), ("tiny_legacy.pt", .checkpoint),
        ("downsampling_synthetic.npz", .npz), ("numbers_deflated.npz", .npz), ("big_endian.npy", .npy),
    ]

    /// Decodes `bytes` with `reader` and touches every value it produced.
    static func exercise(_ reader: Reader, _ bytes: [UInt8], verify: Bool) throws {
        let storage = ByteStorage(copying: bytes)
        switch reader {
        case .pickle:
            _ = try Unpickler().load(storage.slice)
        case .smpl:
            let model = try SMPLModelFile(try Unpickler().load(storage.slice).value)
            _ = model.vTemplate.count
        case .checkpoint:
            let checkpoint = try TorchCheckpoint(bytes: storage, path: "fuzz.pt", verifyChecksums: verify)
            for (_, tensor) in try checkpoint.stateDict() {
                _ = try tensor.floats()
                _ = try? tensor.int64s()
            }
        case .npz:
            let archive = try NPZArchive(bytes: storage.slice, verifyChecksums: verify)
            for name in archive.names {
                let array = try archive.array(name)
                if array.dtype == nil {
                    for matrix in try archive.sparseMatrices(name) { _ = try matrix.dense() }
                } else {
                    _ = try array.doubles()
                }
            }
        case .npy:
            _ = try NPYFile.parse(storage.slice).doubles()
        }
    }

    @Test(arguments: targets.indices)
    func mutatedInputsFailCleanly(target: Int) throws {
        let (file, reader) = Self.targets[target]
        let original = try Fixtures.bytes(file)
        try Self.exercise(reader, original, verify: true)  // the unmutated file decodes
        let seed = UInt64(0x5EED_0000 + target)
        var rng = SplitMix64(state: seed)
        var refused = 0
        // The SMPL seed is 140 kB; fewer rounds keep the suite quick.
        let rounds = original.count > 65536 ? Self.iterations / 3 : Self.iterations
        for iteration in 0..<rounds {
            let mutated = Mutator.mutate(original, using: &rng)
            do {
                try Self.exercise(reader, mutated, verify: iteration % 2 == 0)
            } catch is ModelIOError {
                refused += 1
            } catch {
                Issue.record("\(file) seed \(seed) iteration \(iteration): \(type(of: error)) \(error)")
            }
        }
        // Most mutations of a valid file must be caught; none may crash the process.
        #expect(refused > 0)
    }
}
