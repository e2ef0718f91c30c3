import BodyModel
import Export
import Foundation

// `ExportVerify <folder>`: writes every export format for a synthetic SMPL-sized body
// (6890 vertices, 13776 triangles, SMPL's 24-joint tree, pose correctives, more than four
// influences per vertex) and, beside them, our own reference values for
// tools/verify_exports.py (`make verify-exports`), which loads the files in Blender (bpy) and
// usd-core and compares numerically.
//
// reference/<id:04d>.json: frame indices, times and shapes; reference/<id:04d>_lbs.f32:
// (N, V, 3) our four-influence linear blend skinning of the exported pose (Y-up, metres);
// reference/<id:04d>_joints.f32: (N, 24, 3) world joint positions of that pose.

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: ExportVerify <output folder>\n".utf8))
    exit(2)
}
let folder = URL(fileURLWithPath: arguments[1])
try? FileManager.default.removeItem(at: folder)

let model = try ExportSampleBody.make()
let video = ExportVideo(name: "verify", fps: 30, width: 1280, height: 720)
let session = try ExportSession(
    outputFolder: folder, video: video,
    options: ExportOptions(formats: ExportFormat.allCases, bakeUSDPoints: true, smoothingDescription: "null"),
    bodyModel: model)
let camera = PlateCamera(imageWidth: video.width, imageHeight: video.height)
let tracks: [(id: Int, frames: [Int])] = [
    (1, Array(0..<20) + Array(23..<40)),  // a gap: frames 20…22 missing
    (4, Array(10..<25)),
]
for track in tracks {
    var lbs: [Float] = []
    var joints: [Float] = []
    var betaSum = [Float](repeating: 0, count: 10)
    var frames: [PersonFrame] = []
    for index in track.frames {
        let frame = ExportSampleBody.frame(model: model, trackID: track.id, index: index, fps: video.fps, width: video.width, height: video.height)
        try session.add(frame)
        frames.append(frame)
        for i in 0..<10 { betaSum[i] += frame.betas[i] }
    }
    let rig = ExportRig(bodyModel: model, betas: betaSum.map { $0 / Float(frames.count) })
    for frame in frames {
        let pose = try RigPose(frame: frame, camera: camera)
        lbs += rig.skinnedVertices(pose)
        joints += rig.jointPositions(pose)
    }
    let name = String(format: "%04d", track.id)
    let reference = folder.appendingPathComponent("reference")
    try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
    try lbs.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: reference.appendingPathComponent("\(name)_lbs.f32"))
    try joints.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: reference.appendingPathComponent("\(name)_joints.f32"))
    let info: [String: Any] = [
        "frame_ids": track.frames, "times": frames.map(\.time), "vertex_count": model.vertexCount,
        "joint_names": ExportRig.smplJointNames, "fps": video.fps,
    ]
    try JSONSerialization.data(withJSONObject: info, options: [.sortedKeys]).write(to: reference.appendingPathComponent("\(name).json"))
}
let written = try session.finish()
print("ExportVerify: wrote \(written.count) outputs and references to \(folder.path)")
