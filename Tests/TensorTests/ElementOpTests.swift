import Testing
@testable import Tensor

@Suite struct PoolingAndLayoutTests {
    /// (kernel, stride, padding, height, width): ResNet's 3×3 / 2 on rows wider than 16 outputs
    /// (full vectors and a tail), stride 1 and 3, no padding.
    @Test(arguments: [(3, 2, 1, 13, 11), (2, 2, 0, 8, 9), (3, 1, 1, 6, 5), (3, 2, 1, 9, 70), (3, 1, 1, 5, 37), (3, 3, 1, 10, 52)])
    func maxPoolMatchesReference(_ c: (Int, Int, Int, Int, Int)) {
        var rng = SeededRandom(seed: UInt64(c.3 * c.4))
        var x = rng.tensor([2, 3, c.3, c.4])
        for i in stride(from: 0, to: x.count, by: 7) { x.data[i] = i % 2 == 0 ? 0 : -0.0 }  // ties between signed zeros
        let expected = referenceMaxPool(x, kernel: c.0, stride: c.1, padding: c.2)
        for instructionSet in ChannelsLast.InstructionSet.allCases where instructionSet.isSupported {
            let y = maxPool2d(x, kernel: c.0, stride: c.1, padding: c.2, instructionSet: instructionSet)
            // Exact, bit for bit: a max selects one input value, ties the same one.
            #expect(y.shape == expected.shape)
            #expect(y.data.map(\.bitPattern) == expected.data.map(\.bitPattern), "\(instructionSet)")
        }
    }

    @Test func maxPoolIgnoresPaddingEvenWhenAllNegative() {
        let x = Tensor(shape: [1, 1, 2, 2], data: [-4, -3, -2, -1])
        #expect(maxPool2d(x, kernel: 3, stride: 2, padding: 1).data == [-1])
    }

    @Test(arguments: [2, 3])
    func depthToSpaceFollowsTFDCROrder(_ block: Int) {
        var rng = SeededRandom(seed: UInt64(block))
        let x = rng.tensor([2, 3 * block * block, 4, 5])
        #expect(depthToSpace(x, blockSize: block) == referenceDepthToSpace(x, blockSize: block))
    }

    @Test func depthToSpaceSmallExample() {
        // NHWC (1,1,1,4) = [a b c d] → 2×2 image [[a b] [c d]] with one channel.
        let x = Tensor(shape: [1, 4, 1, 1], data: [1, 2, 3, 4])
        #expect(depthToSpace(x, blockSize: 2) == Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4]))
    }

    @Test func padPlacesInputInsideConstant() {
        let x = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let y = pad(x, Padding2D(top: 1, bottom: 0, left: 0, right: 2), value: -1)
        #expect(y == Tensor(shape: [1, 1, 3, 4], data: [-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]))
        var rng = SeededRandom(seed: 9)
        let z = rng.tensor([2, 3, 5, 4])
        let padded = pad(z, Padding2D(2))
        for plane in 0..<6 { for yy in 0..<9 { for xx in 0..<8 {
            let inside = yy >= 2 && yy < 7 && xx >= 2 && xx < 6
            #expect(padded.data[(plane * 9 + yy) * 8 + xx] == (inside ? z.data[(plane * 5 + yy - 2) * 4 + xx - 2] : 0))
        } } }
    }

    @Test(arguments: [0, 1, 2])
    func concatenateAlongAxis(_ axis: Int) {
        var rng = SeededRandom(seed: UInt64(axis + 20))
        var shapeA = [2, 3, 4], shapeB = [2, 3, 4]
        shapeA[axis] = 2
        shapeB[axis] = 3
        let a = rng.tensor(shapeA), b = rng.tensor(shapeB)
        let y = concatenate([a, b], axis: axis)
        var expectedShape = shapeA
        expectedShape[axis] = 5
        #expect(y.shape == expectedShape)
        // Element (i, j, k) of the result comes from a or b by its index on `axis`.
        for i in 0..<expectedShape[0] { for j in 0..<expectedShape[1] { for k in 0..<expectedShape[2] {
            var index = [i, j, k]
            let fromA = index[axis] < 2
            if !fromA { index[axis] -= 2 }
            let source = fromA ? a : b
            let flat = (index[0] * source.shape[1] + index[1]) * source.shape[2] + index[2]
            #expect(y.data[(i * expectedShape[1] + j) * expectedShape[2] + k] == source.data[flat])
        } } }
    }

    @Test func addAndActivations() {
        let a = Tensor(shape: [4], data: [-7, -1, 2, 5]), b = Tensor(shape: [4], data: [1, 0.5, 3, 2])
        #expect(add(a, b).data == [-6, -0.5, 5, 7])
        #expect(add(a, b, activation: .relu6).data == [0, 0, 5, 6])
        #expect(relu(a).data == [0, 0, 2, 5])
        #expect(relu6(a).data == [0, 0, 2, 5])
        #expect(leakyReLU(a, slope: 0.5).data == [-3.5, -0.5, 2, 5])
    }
}

@Suite struct SamplingTests {
    @Test func gridSampleMatchesReference() {
        var rng = SeededRandom(seed: 31)
        let x = rng.tensor([2, 5, 7, 9])
        // Points inside, on the corners and edges, and beyond the border (partly zero-padded).
        var coords = rng.floats(2 * 40 * 2, in: -1.2...1.2)
        coords.replaceSubrange(0..<8, with: [-1, -1, 1, 1, -1, 1, 1, -1])
        let points = Tensor(shape: [2, 40, 2], data: coords)
        let y = gridSample(x, points: points)
        let expected = referenceGridSample(x, points: points)
        #expect(y.shape == [2, 5, 40])
        // Four products and three sums of O(1) values: 1e-5 absolute is ~80 ulps, well clear of rounding.
        for i in expected.indices { #expect(abs(Double(y.data[i]) - expected[i]) <= 1e-5) }
        // Corners land exactly on pixels (align_corners = true).
        #expect(y.data[0] == x.data[0])                 // (−1, −1) → top-left
        #expect(y.data[1] == x.data[7 * 9 - 1])         // (1, 1) → bottom-right
        #expect(y.data[2] == x.data[6 * 9])             // (−1, 1) → bottom-left
        // The same map stored (C, N, H, W) samples to the same values.
        #expect(gridSample(swappingBatchAndChannels(x), points: points, layout: .cnhw) == y)
    }

    @Test func gridSampleHalfwayAndOutside() {
        let x = Tensor(shape: [1, 1, 2, 2], data: [0, 1, 2, 3])
        let points = Tensor(shape: [1, 3, 2], data: [0, 0, 3, 0, -1, 2])
        // Centre: mean of all four. (3, 0) → column 2: both columns outside → 0. (−1, 2) → row 1.5:
        // half of row 1's weight is inside (0.5 · 2), the other half reads zero padding.
        #expect(gridSample(x, points: points).data == [1.5, 0, 1])
    }

    @Test(arguments: [(7, 7, 14, 14), (14, 10, 28, 20), (9, 8, 5, 3), (1, 3, 4, 4)])
    func resizeMatchesTFHalfPixelRule(_ c: (Int, Int, Int, Int)) {
        var rng = SeededRandom(seed: UInt64(c.0 * c.2))
        let x = rng.tensor([2, 3, c.0, c.1])
        let y = resizeBilinear(x, height: c.2, width: c.3)
        let expected = referenceResizeBilinear(x, height: c.2, width: c.3)
        #expect(y.shape == [2, 3, c.2, c.3])
        // Two lerps of O(1) values: 1e-5 absolute.
        for i in expected.indices { #expect(abs(Double(y.data[i]) - expected[i]) <= 1e-5) }
    }

    @Test func resizeTwoToFourByHand() {
        // 2 → 4 with half-pixel centres: src = −0.25, 0.25, 0.75, 1.25 → [a, .75a+.25b, .25a+.75b, b].
        let x = Tensor(shape: [1, 1, 1, 2], data: [0, 4])
        #expect(resizeBilinear(x, height: 1, width: 4).data == [0, 1, 3, 4])
    }
}
