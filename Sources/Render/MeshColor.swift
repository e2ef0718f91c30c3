/// Mesh colours of the reference demo's renderer (RGB, 0...1).
///
/// PyMAF's demo draws every person in `purple`; `pink` is its colour for the HMR baseline and
/// `neutral` for PyMAF without feedback. The values are those of the reference palette.
public enum MeshColor {
    /// The reference demo's colour for PyMAF results: (0.5, 0.5, 0.7).
    public static let purple = SIMD3<Float>(0.5, 0.5, 0.7)
    /// (0.7, 0.5, 0.5), the reference's colour for the HMR baseline.
    public static let pink = SIMD3<Float>(0.7, 0.5, 0.5)
    /// (0.7, 0.7, 0.6), the reference's colour without mesh-aligned feedback.
    public static let neutral = SIMD3<Float>(0.7, 0.7, 0.6)
    /// (0.5, 0.55, 0.3).
    public static let green = SIMD3<Float>(0.5, 0.55, 0.3)
    /// (0.3, 0.5, 0.55).
    public static let sky = SIMD3<Float>(0.3, 0.5, 0.55)
    /// (1.0, 0.98, 0.94).
    public static let white = SIMD3<Float>(1.0, 0.98, 0.94)

    /// A distinct, stable colour per track: hue stepped by the golden ratio, saturation 0.5,
    /// value 1 (the saturation and value VIBE-style demos use for per-person colours).
    public static func track(_ trackID: Int) -> SIMD3<Float> {
        let hue = (Double(trackID) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
        return hsvToRGB(hue: Float(hue < 0 ? hue + 1 : hue), saturation: 0.5, value: 1)
    }

    static func hsvToRGB(hue: Float, saturation s: Float, value v: Float) -> SIMD3<Float> {
        let h6 = hue * 6
        let sector = Int(h6) % 6
        let f = h6 - Float(Int(h6))
        let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
        switch sector {
        case 0: return SIMD3(v, t, p)
        case 1: return SIMD3(q, v, p)
        case 2: return SIMD3(p, v, t)
        case 3: return SIMD3(p, q, v)
        case 4: return SIMD3(t, p, v)
        default: return SIMD3(v, p, q)
        }
    }
}

/// How each person's mesh is coloured by `OverlayRenderer`.
public enum PersonColoring: Sendable, Equatable {
    /// Every person in the reference demo's colour (`MeshColor.purple`).
    case reference
    /// One colour for everybody.
    case uniform(SIMD3<Float>)
    /// A distinct stable colour per track (`MeshColor.track`).
    case perTrack
}
