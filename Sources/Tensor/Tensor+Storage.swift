extension Tensor {
    /// A tensor whose elements are left unwritten: only for ops that write every element.
    init(uninitializedShape shape: [Int]) {
        let count = shape.reduce(1, *)
        self.init(shape: shape, data: [Float](unsafeUninitializedCapacity: count) { _, written in written = count })
    }

    /// Makes `self` a tensor of `shape`, keeping its storage when the element count already matches.
    ///
    /// The elements are unspecified afterwards; the caller overwrites all of them.
    mutating func prepare(shape newShape: [Int]) {
        let count = newShape.reduce(1, *)
        if data.count == count {
            self = Tensor(shape: newShape, data: data)  // moves the storage, no copy when uniquely held
        } else {
            self = Tensor(uninitializedShape: newShape)
        }
    }

    /// Extents as (N, C, H, W); traps unless the tensor has rank 4.
    func nchw(_ op: String) -> (n: Int, c: Int, h: Int, w: Int) {
        precondition(shape.count == 4, "\(op): expected an (N, C, H, W) tensor, got shape \(shape)")
        return (shape[0], shape[1], shape[2], shape[3])
    }
}
