/// The full-image weak-perspective camera of the reference demo's renderer, mapping camera-frame
/// points to pixels of a `width`×`height` target.
///
/// With `orig_cam` = (sx, sy, tx, ty): x_ndc = sx·(x + tx), y_ndc = sy·(y + ty) (the camera frame has
/// y down, as PyMAF's meshes are), pixel = (ndc + 1)·size/2 with pixel centres at i + 0.5. The camera
/// is resolution-independent, so one `orig_cam` serves any `--render_ratio`.
///
/// Depth for the z-buffer is z plus the distance the weak-perspective scale implies,
/// 2·f/(width·sx) with the reference's focal length f = 5000, so that between people the smaller
/// (farther) one is drawn behind.
struct ScreenProjection {
    let halfWidth: Float
    let halfHeight: Float
    let camera: SIMD4<Float>
    let depthOffset: Float

    /// Nil when the camera cannot place anything on screen (a zero or non-finite scale).
    init?(camera: SIMD4<Float>, width: Int, height: Int) {
        guard camera.x.isFinite, camera.y.isFinite, camera.z.isFinite, camera.w.isFinite,
              camera.x != 0, camera.y != 0 else { return nil }
        self.camera = camera
        halfWidth = Float(width) / 2
        halfHeight = Float(height) / 2
        depthOffset = 2 * 5000 / (Float(width) * abs(camera.x))
    }

    /// True when the camera mirrors the picture (sx·sy < 0), which flips the facing test.
    var isMirrored: Bool { camera.x * camera.y < 0 }

    /// Pixel coordinates (continuous, pixel centres at i + 0.5) of a camera-frame point.
    @inline(__always)
    func pixel(_ p: SIMD3<Float>) -> SIMD2<Float> {
        SIMD2((camera.x * (p.x + camera.z) + 1) * halfWidth, (camera.y * (p.y + camera.w) + 1) * halfHeight)
    }

    @inline(__always)
    func depth(_ p: SIMD3<Float>) -> Float { p.z + depthOffset }
}
