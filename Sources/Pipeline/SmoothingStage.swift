import BodyModel
import Smoothing

/// Smooths every person over time with the Smoothing module's `TrackSmoother` and puts the
/// smoothed people back into their frames.
///
/// The smoother may hold a track's frames back (per-track shape: until its shape window is
/// seen), so frames wait here until all their people have come back, and leave in order.
struct SmoothingStage: Stage {
    var smoother: TrackSmoother
    /// Frames in order, each with the number of its people still inside the smoother.
    private var waiting: [(result: FrameResult, missing: Int)] = []

    init(smoother: TrackSmoother) {
        self.smoother = smoother
    }

    mutating func process(_ input: FrameResult) throws -> [FrameResult] {
        var frame = input
        frame.people = []
        waiting.append((frame, input.people.count))
        for person in input.people { place(smoother.process(person)) }
        return release(all: false)
    }

    mutating func finish() throws -> [FrameResult] {
        place(smoother.finish())
        return release(all: true)
    }

    private mutating func place(_ people: [PersonFrame]) {
        for person in people {
            guard let slot = waiting.firstIndex(where: { $0.result.index == person.frameIndex }) else { continue }
            waiting[slot].result.people.append(person)
            waiting[slot].missing -= 1
        }
    }

    private mutating func release(all: Bool) -> [FrameResult] {
        let ready = all ? waiting.count : (waiting.firstIndex { $0.missing > 0 } ?? waiting.count)
        let released = waiting.prefix(ready).map { entry in
            var result = entry.result
            result.people.sort { $0.trackID < $1.trackID }
            return result
        }
        waiting.removeFirst(ready)
        return released
    }
}
