import Foundation
import Testing
import VideoIO
@testable import PersonTracking

/// End to end on the real clips: decode with VideoIO, detect and track with default options.
@Suite(.serialized) struct TrackingClipTests {
    static func track(_ clip: String) throws -> [TrackedFrame] {
        let decoder = try VideoDecoder(url: TestPaths.sharedData.appendingPathComponent(clip))
        var tracker = try PersonTracker(detector: try PersonDetector(modelURL: TestPaths.detectorModel))
        var out: [TrackedFrame] = []
        while let frame = try decoder.nextFrame() { out += tracker.process(frame) }
        return out + tracker.finish()
    }

    /// runner_1080p.mp4: one person crossing a court, 180 frames.
    @Test func runnerIsOneTrackForAllFrames() throws {
        let out = try Self.track("runner_1080p.mp4")
        #expect(out.map(\.frame.index) == Array(0..<180))
        #expect(out.allSatisfy { $0.people.map(\.trackID) == [0] }, "\(out.filter { $0.people.map(\.trackID) != [0] }.map { ($0.frame.index, $0.people.map(\.trackID)) })")
    }

    /// two_dancers_portrait.mp4: two dancers side by side, 567 frames; the whole-frame detector
    /// alone sees both in only 156. Two tracks over the whole clip, and no identity switch: a
    /// track's centre never jumps by more than a fifth of its box between frames (a switch to the
    /// other dancer would move it by their separation), and the two never collapse onto one dancer.
    @Test func dancersAreTwoTracksWithoutSwitch() throws {
        let out = try Self.track("two_dancers_portrait.mp4")
        #expect(out.map(\.frame.index) == Array(0..<567))
        let bothTracked = out.filter { $0.people.map(\.trackID) == [0, 1] }.count
        #expect(bothTracked == 567, "\(out.filter { $0.people.map(\.trackID) != [0, 1] }.map { ($0.frame.index, $0.people.map(\.trackID)) })")
        var previous: [Int: PersonBox] = [:]
        var largestJump: Float = 0, closest: Float = .infinity
        for tracked in out {
            for person in tracked.people {
                if let last = previous[person.trackID] {
                    largestJump = max(largestJump, PersonTracker.centreDistance(last, person.box) / person.box.width)
                }
                previous[person.trackID] = person.box
            }
            if tracked.people.count == 2 {
                closest = min(closest, PersonTracker.centreDistance(tracked.people[0].box, tracked.people[1].box) / tracked.people[0].box.width)
            }
        }
        #expect(largestJump < 0.2, "largest frame-to-frame jump \(largestJump) box sides")
        #expect(closest > 0.1, "tracks came within \(closest) box sides of each other")
    }
}
