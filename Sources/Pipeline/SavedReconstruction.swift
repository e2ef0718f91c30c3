import BodyModel
import Foundation
import ModelIO
import VideoIO

/// The people of a saved `output.pkl` (ours, or the one PyMAF's demo writes), by frame index,
/// for `--recon_result_file`: re-render and re-export without running the network.
///
/// The file is `{track_id: {pred_cam (N,3), orig_cam (N,4), verts (N,V,3), pose (N,72),
/// betas (N,10), joints3d (N,J,3), joints2d, bboxes (N,4), frame_ids (N)}}`, read by ModelIO's
/// allow-listed unpickler. Rotations are rebuilt from the axis-angle pose (Rodrigues).
struct SavedReconstruction: Sendable {
    /// People per frame index (full-video numbering), by increasing track id. `time` is filled
    /// in from the decoded frame.
    var peopleByFrame: [Int: [PersonFrame]]
    var trackIDs: [Int]

    /// Reads `url`, checking every array's shape against the track's frame count and the body
    /// model's vertex count.
    ///
    /// - Throws: `RunError.inputUnreadable` saying what does not fit.
    static func read(contentsOf url: URL, vertexCount: Int) throws(RunError) -> SavedReconstruction {
        func bad(_ reason: String) -> RunError {
            .inputUnreadable(path: url.path, reason: "not a usable output.pkl: \(reason)")
        }
        let root: PickleValue
        do {
            root = try Unpickler().load([UInt8](Data(contentsOf: url, options: .mappedIfSafe)))
        } catch {
            throw bad("\(error)")
        }
        guard let tracks = root.entries else { throw bad("the top level is not a dict of tracks") }
        var peopleByFrame: [Int: [PersonFrame]] = [:]
        var trackIDs: [Int] = []
        for (key, track) in tracks {
            guard let id = key.intValue.map(Int.init) else { throw bad("a track key is not an integer") }
            func array(_ name: String, _ tail: [Int]) throws(RunError) -> [Float] {
                guard let value = track[name]?.array else { throw bad("track \(id) has no array \(name)") }
                guard value.shape.count == tail.count + 1, Array(value.shape.dropFirst()) == tail else {
                    throw bad("track \(id): \(name) has shape \(value.shape), expected (N, \(tail.map(String.init).joined(separator: ", ")))")
                }
                do { return try value.floats() } catch { throw bad("track \(id): \(name): \(error)") }
            }
            guard let frameArray = track["frame_ids"]?.array, let frameIDs = try? frameArray.int64s() else {
                throw bad("track \(id) has no frame_ids")
            }
            let n = frameIDs.count
            let jointCount = (track["joints3d"]?.array?.shape.dropFirst().first) ?? 49
            let predCam = try array("pred_cam", [3])
            let origCam = try array("orig_cam", [4])
            let vertices = try array("verts", [vertexCount, 3])
            let pose = try array("pose", [72])
            let betas = try array("betas", [10])
            let joints = try array("joints3d", [jointCount, 3])
            let boxes = try array("bboxes", [4])
            for (name, count, width) in [("pred_cam", predCam.count, 3), ("orig_cam", origCam.count, 4), ("verts", vertices.count, vertexCount * 3),
                                         ("pose", pose.count, 72), ("betas", betas.count, 10), ("joints3d", joints.count, jointCount * 3),
                                         ("bboxes", boxes.count, 4)] where count != n * width {
                throw bad("track \(id): \(name) has \(count / max(width, 1)) rows for \(n) frame ids")
            }
            let rotations = Rotation.matrix(fromAxisAngle: pose)  // (n·24, 9)
            for i in 0..<n {
                let person = PersonFrame(
                    trackID: id, frameIndex: Int(frameIDs[i]), time: 0,
                    box: SIMD4(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]),
                    predCam: SIMD3(predCam[3 * i], predCam[3 * i + 1], predCam[3 * i + 2]),
                    origCam: SIMD4(origCam[4 * i], origCam[4 * i + 1], origCam[4 * i + 2], origCam[4 * i + 3]),
                    betas: Array(betas[(10 * i)..<(10 * i + 10)]),
                    rotations: Array(rotations[(216 * i)..<(216 * i + 216)]),
                    pose: Array(pose[(72 * i)..<(72 * i + 72)]),
                    vertices: Array(vertices[(vertexCount * 3 * i)..<(vertexCount * 3 * (i + 1))]),
                    joints: Array(joints[(jointCount * 3 * i)..<(jointCount * 3 * (i + 1))]))
                peopleByFrame[person.frameIndex, default: []].append(person)
            }
            trackIDs.append(id)
        }
        for key in peopleByFrame.keys { peopleByFrame[key]?.sort { $0.trackID < $1.trackID } }
        return SavedReconstruction(peopleByFrame: peopleByFrame, trackIDs: trackIDs.sorted())
    }
}

/// The stage that replaces the network with a saved reconstruction: each decoded frame gets the
/// people saved for its index, stamped with the frame's time.
struct ReconstructionLookup: Stage {
    let saved: SavedReconstruction
    let keepPixels: Bool

    mutating func process(_ input: VideoFrame) throws -> [FrameResult] {
        var result = FrameResult(frame: input, keepPixels: keepPixels)
        result.people = (saved.peopleByFrame[input.index] ?? []).map { person in
            var person = person
            person.time = input.time
            return person
        }
        return [result]
    }

    mutating func finish() throws -> [FrameResult] { [] }
}
