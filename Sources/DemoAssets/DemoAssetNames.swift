/// File names of the embedded default, generated under `data/demo/` by `make demo`.
public enum DemoAssetNames {
    /// Untrained PyMAF checkpoint in PyTorch's format with the real architecture.
    public static let checkpoint = "demo_checkpoint.pt"
    /// Procedural humanoid body model in the SMPL structure.
    public static let bodyModel = "demo_body.npz"
    /// Synthetic sample clip of the humanoid moving.
    public static let sampleClip = "demo_clip.mp4"
}
