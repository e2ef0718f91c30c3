/// Element types found in PyTorch checkpoints, NumPy arrays and TFLite buffers.
public enum ScalarType: String, Sendable, CaseIterable {
    case float32, float16, bfloat16, float64
    case int64, int32, int16, int8, uint8
    case bool
    /// Unsigned types NumPy files may hold (SMPL's faces are uint32).
    case uint16, uint32, uint64

    /// Size of one element in bytes.
    public var byteWidth: Int {
        switch self {
        case .float64, .int64, .uint64: 8
        case .float32, .int32, .uint32: 4
        case .float16, .bfloat16, .int16, .uint16: 2
        case .int8, .uint8, .bool: 1
        }
    }
}
