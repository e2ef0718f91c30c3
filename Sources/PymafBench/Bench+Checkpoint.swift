import Foundation
import ModelIO

extension BenchmarkSuite {
    /// Opens a full-size PyMAF-shaped checkpoint (every key and shape of the state-dict manifest,
    /// random values, ≈ 275 MB) and binds all 441 tensors to arrays, in both serializations.
    static var checkpoint: BenchmarkSuite {
        BenchmarkSuite(
            name: "checkpoint",
            summary: "open a full-size PyMAF-shaped checkpoint (≈275 MB) and bind all 441 tensors; target ≤ 1 s, next to torch.load"
        ) {
            try CheckpointBench().run()
        }
    }
}

/// The checkpoint benchmark: files are generated once into `.build/bench-data/`, never committed.
struct CheckpointBench {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var dataFolder: URL { repository.appendingPathComponent(".build/bench-data") }
    var manifest: URL { repository.appendingPathComponent("../shared/reference/pymaf_state_dict_manifest.txt") }

    func run() throws {
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        let python = torchPython()
        let zipFile = dataFolder.appendingPathComponent("pymaf_shaped_zip.pt")
        let legacyFile = dataFolder.appendingPathComponent("pymaf_shaped_legacy.pt")
        try prepare(zipFile, format: .zip, python: python)
        try prepare(legacyFile, format: .legacy, python: nil)
        print("   python with torch: \(python ?? "none found (set PYMAF_TORCH_PYTHON)")")
        for (file, label) in [(zipFile, "zip"), (legacyFile, "legacy")] {
            let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            let ours = try measure { try bind(file, verify: true) }
            let unchecked = try measure { try bind(file, verify: false) }
            var line = String(format: "   %-6@ %.0f MB, %d tensors: open + bind %.3f s (median of 5; best %.3f), without CRC %.3f s; target ≤ 1 s",
                              label as NSString, Double(size) / 1e6, ours.tensors, ours.median, ours.best, unchecked.median)
            if let python, let torchSeconds = torchLoad(file, python: python) {
                line += String(format: "; torch.load + float() %.3f s (%.1f×)", torchSeconds, torchSeconds / ours.median)
            }
            print(line)
        }
    }

    /// Opens `file` and converts every tensor to `[Float]` (int64 tensors to `[Int64]`).
    func bind(_ file: URL, verify: Bool) throws -> (count: Int, checksum: Double) {
        let checkpoint = try TorchCheckpoint(contentsOf: file, verifyChecksums: verify)
        var checksum = 0.0
        let state = try checkpoint.stateDict()
        for (_, tensor) in state {
            if tensor.dtype == .int64 {
                checksum += Double(try tensor.int64s().first ?? 0)
            } else {
                checksum += Double(try tensor.floats().first ?? 0)
            }
        }
        return (state.count, checksum)
    }

    func measure(_ body: () throws -> (count: Int, checksum: Double)) throws -> (median: Double, best: Double, tensors: Int) {
        _ = try body()  // warm-up: the page cache holds the file, as after any first run
        var times: [Double] = []
        var tensors = 0
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            tensors = try body().count
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return (times[2], times[0], tensors)
    }

    /// Writes the checkpoint if absent: with PyTorch when available (zip), else with
    /// `TorchCheckpointWriter` from the manifest.
    func prepare(_ file: URL, format: TorchCheckpoint.Format, python: String?) throws {
        if FileManager.default.fileExists(atPath: file.path) { return }
        if let python, format == .zip {
            let script = repository.appendingPathComponent("tools/make_modelio_fixtures.py").path
            if run(python, [script, "--bench-checkpoint", file.path]) != nil, FileManager.default.fileExists(atPath: file.path) {
                print("   generated \(file.lastPathComponent) with PyTorch")
                return
            }
        }
        var writer = TorchCheckpointWriter(format: format)
        var generator = SplitMix(seed: 42)
        let text = try String(contentsOf: manifest, encoding: .utf8)
        for line in text.split(separator: "\n") where !line.isEmpty && !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let shape = fields[1].trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",")
                .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let count = shape.reduce(1, *)
            if fields[2] == "int64" {
                try writer.append(String(fields[0]), shape: shape, int64s: (0..<count).map { _ in Int64.random(in: 0..<100, using: &generator) })
            } else {
                try writer.append(String(fields[0]), shape: shape, floats: (0..<count).map { _ in Float.random(in: -1..<1, using: &generator) })
            }
        }
        try writer.write(to: file)
        print("   generated \(file.lastPathComponent) with TorchCheckpointWriter (\(format.rawValue))")
    }

    /// `PYMAF_TORCH_PYTHON`, else the project's PyTorch venv, when it can import torch.
    func torchPython() -> String? {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["PYMAF_TORCH_PYTHON"] { candidates.append(configured) }
        candidates.append("/tmp/torchvenv/bin/python")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) && run($0, ["-c", "import torch"]) != nil }
    }

    /// Seconds for `torch.load` of `file` plus `.float()` of every tensor: median of 5 after a warm-up.
    func torchLoad(_ file: URL, python: String) -> Double? {
        let code = """
        import sys, time, torch
        torch.set_num_threads(2)
        def once():
            t = time.perf_counter()
            obj = torch.load(sys.argv[1], weights_only=True)
            state = obj["model"] if "model" in obj else obj
            for v in state.values():
                v.float() if v.is_floating_point() else v.long()
            return time.perf_counter() - t
        once()
        times = sorted(once() for _ in range(5))
        print(times[2])
        """
        guard let output = run(python, ["-c", code, file.path]) else { return nil }
        return Double(output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs a program and returns its standard output, or nil when it fails.
    func run(_ program: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
