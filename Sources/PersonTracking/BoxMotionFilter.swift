/// Motion model and smoother of one track's box: an α-β filter on centre x, centre y and side.
///
/// Each frame it predicts `position + velocity`, then corrects by the measurement residual:
/// `position += α·r`, `velocity += β·r`. At constant velocity the estimate has no lag in the
/// steady state (unlike a plain low-pass), while frame-to-frame jitter is damped. A residual
/// larger than `snapFraction` of the box side (a sudden jump) resets the estimate to the
/// measurement, so fast changes are never smeared out.
struct BoxMotionFilter: Sendable, Equatable {
    /// (centreX, centreY, side) in pixels.
    private(set) var position: SIMD3<Float>
    /// Change per frame.
    private(set) var velocity: SIMD3<Float> = .zero
    var alpha: Float = 0.5
    var beta: Float = 0.17
    var snapFraction: Float = 0.35

    init(_ box: PersonBox) {
        position = SIMD3(box.centerX, box.centerY, box.width)
    }

    /// The box expected `frames` frames after the last update.
    func predicted(after frames: Int = 1) -> PersonBox {
        let p = position + velocity * Float(frames)
        return PersonBox(centerX: p.x, centerY: p.y, width: max(p.z, 1), height: max(p.z, 1))
    }

    /// The current estimate.
    var box: PersonBox { predicted(after: 0) }

    /// Folds in a measurement taken `frames` frames after the last update.
    /// With `smoothing` false the estimate follows the measurement exactly (velocity still learned).
    mutating func update(with box: PersonBox, after frames: Int = 1, smoothing: Bool = true) {
        let measured = SIMD3(box.centerX, box.centerY, box.width)
        let gap = Float(max(frames, 1))
        let prediction = position + velocity * gap
        let residual = measured - prediction
        let jump = max(abs(residual.x), abs(residual.y), abs(residual.z))
        if !smoothing || jump > snapFraction * max(measured.z, 1) {
            velocity = (measured - position) / gap
            position = measured
            if jump > snapFraction * max(measured.z, 1) { velocity = .zero }
        } else {
            position = prediction + alpha * residual
            velocity += beta * residual / gap
        }
    }

    /// Advances the estimate through a frame with no measurement: coasts on the velocity,
    /// which decays (×0.8 a frame) so a lost track does not fly off.
    mutating func coast() {
        position += velocity
        velocity *= 0.8
    }

    /// Advances the estimate through a frame with no measurement by staying put and forgetting
    /// the velocity: for a person hidden by or merged with a neighbour, whose last velocity is
    /// unreliable and would carry the estimate onto that neighbour.
    mutating func hold() {
        velocity = .zero
    }
}
