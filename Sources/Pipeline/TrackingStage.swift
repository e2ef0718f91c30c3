import Foundation
import PersonTracking
import VideoIO

/// Finds the people of each frame: PersonTracking's tracker (detector or `--bbox_file` boxes),
/// or for a single image the best detection — and, when there is none, the centred person
/// PyMAF's image demo assumes. `--person_id` keeps only the chosen tracks.
struct TrackingStage: Stage {
    enum Finder {
        case tracker(PersonTracker)
        /// One image: the best detection, or the whole image.
        case image(PersonDetector, TrackingOptions)
    }

    var finder: Finder
    /// Track ids to keep; empty keeps everyone.
    let personIDs: Set<Int>
    /// Called once when a single image has no detection (for the run's warnings).
    let noteFallback: @Sendable (String) -> Void

    mutating func process(_ input: VideoFrame) throws -> [TrackedFrame] {
        switch finder {
        case .tracker(var tracker):
            let out = tracker.process(input)
            finder = .tracker(tracker)
            return out.map(keepChosen)
        case .image(let detector, let options):
            let box: PersonBox
            if let best = detector.detect(input).first {
                box = best.bodyBox(factor: options.bodyBoxFactor).squared(scale: options.bboxScale)
            } else {
                noteFallback("no person detected in the image: assuming one centred person filling it")
                box = PersonBox(
                    centerX: Float(input.width) / 2, centerY: Float(input.height) / 2,
                    width: Float(input.width), height: Float(input.height)).squared(scale: options.bboxScale)
            }
            return [keepChosen(TrackedFrame(frame: input, people: [TrackedPerson(trackID: 0, box: box, score: 1)]))]
        }
    }

    mutating func finish() throws -> [TrackedFrame] {
        guard case .tracker(var tracker) = finder else { return [] }
        let out = tracker.finish()
        finder = .tracker(tracker)
        return out.map(keepChosen)
    }

    private func keepChosen(_ frame: TrackedFrame) -> TrackedFrame {
        guard !personIDs.isEmpty else { return frame }
        var kept = frame
        kept.people = frame.people.filter { personIDs.contains($0.trackID) }
        return kept
    }
}
