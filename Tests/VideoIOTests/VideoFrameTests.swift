import Testing
@testable import VideoIO

@Suite struct VideoFrameTests {
    @Test func holdsPackedRGB() {
        let frame = VideoFrame(index: 3, time: 0.1, width: 2, height: 1, rgb: [1, 2, 3, 4, 5, 6])
        #expect(frame.rgb.count == frame.width * frame.height * 3)
        #expect(frame.index == 3)
    }
}
