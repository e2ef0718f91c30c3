/// "Natural" file name order: runs of digits compare by value, so `frame2.png` comes before
/// `frame10.png`; other text compares case-insensitively, then exactly as a tie-break.
enum NaturalOrder {
    static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        let left = chunks(a)
        let right = chunks(b)
        for (l, r) in zip(left, right) where l != r {
            switch (l, r) {
            case (.number(let x), .number(let y)):
                let xs = x.drop { $0 == "0" }
                let ys = y.drop { $0 == "0" }
                if xs.count != ys.count { return xs.count < ys.count }
                if xs != ys { return xs < ys }
                if x.count != y.count { return x.count < y.count }
            case (.text(let x), .text(let y)):
                if x.lowercased() != y.lowercased() { return x.lowercased() < y.lowercased() }
                return x < y
            case (.number, .text): return true
            case (.text, .number): return false
            }
        }
        if left.count != right.count { return left.count < right.count }
        return a < b
    }

    private enum Chunk: Equatable {
        case number(Substring)
        case text(Substring)
    }

    private static func chunks(_ name: String) -> [Chunk] {
        var result: [Chunk] = []
        var start = name.startIndex
        while start < name.endIndex {
            let isDigit = name[start].isASCII && name[start].isNumber
            var end = name.index(after: start)
            while end < name.endIndex, (name[end].isASCII && name[end].isNumber) == isDigit { end = name.index(after: end) }
            result.append(isDigit ? .number(name[start..<end]) : .text(name[start..<end]))
            start = end
        }
        return result
    }
}
