import Foundation
import ModelIO

/// Writes the untrained demo checkpoint (`DemoStateDict`) in PyTorch's zip format, wrapped as
/// `{"model": state_dict}` like PyMAF's released file.
public enum DemoCheckpoint {
    /// The state dict, in PyMAF's key order (see `DemoStateDict`).
    public static func stateDict(body: ProceduralHumanoid, seed: UInt64) -> [DemoTensor] {
        DemoStateDict.make(body: body, seed: seed)
    }

    /// Writes the checkpoint to `url` (temporary name, renamed when complete).
    public static func write(body: ProceduralHumanoid, seed: UInt64, to url: URL) throws {
        var writer = TorchCheckpointWriter()
        for tensor in stateDict(body: body, seed: seed) {
            switch tensor.values {
            case let .float(values): try writer.append(tensor.key, shape: tensor.shape, floats: values)
            case let .int64(values): try writer.append(tensor.key, shape: tensor.shape, int64s: values)
            }
        }
        try writer.write(to: url)
    }
}
