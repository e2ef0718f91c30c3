import PersonTracking
import VideoIO

/// Cuts each tracked person's 224² crop and groups consecutive frames into regressor batches.
///
/// A batch is emitted as soon as it holds `batchSize` crops, or `maxFrames` frames (so a stretch
/// without people does not hold frames back), and the rest at `finish`. Frames keep their pixels
/// only when `keepPixels` (the renderer needs them).
///
///     var batcher = CropBatcher(batchSize: 8, keepPixels: false)
///     let batches = try batcher.process(trackedFrame)   // [] until 8 crops are ready
public struct CropBatcher: Stage {
    public let batchSize: Int
    public let maxFrames: Int
    public let keepPixels: Bool
    private var pending = CropBatch()

    public init(batchSize: Int, keepPixels: Bool, maxFrames: Int? = nil) {
        precondition(batchSize >= 1)
        self.batchSize = batchSize
        self.keepPixels = keepPixels
        self.maxFrames = max(maxFrames ?? 2 * batchSize, 1)
    }

    public mutating func process(_ input: TrackedFrame) throws -> [CropBatch] {
        let slot = pending.frames.count
        pending.frames.append(FrameResult(frame: input.frame, keepPixels: keepPixels))
        for person in input.people {
            pending.crops += PersonCropper.crop(input.frame, box: person.box)  // (3, 224, 224)
            pending.owners.append((slot, person))
        }
        if pending.owners.count >= batchSize || pending.frames.count >= maxFrames {
            defer { pending = CropBatch() }
            return [pending]
        }
        return []
    }

    public mutating func finish() throws -> [CropBatch] {
        defer { pending = CropBatch() }
        return pending.frames.isEmpty ? [] : [pending]
    }
}
