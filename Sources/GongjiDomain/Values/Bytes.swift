extension Array where Element == UInt8 {
    /// Appends `count` bytes that `write` puts in place (`ResidentID.write`,
    /// `RegionCode.write`), so a value's text goes into an output buffer
    /// without a String in between.
    mutating func append(count: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        let start = self.count
        append(contentsOf: repeatElement(0, count: count))
        withUnsafeMutableBufferPointer { all in write(UnsafeMutableBufferPointer(rebasing: all[start..<start + count])) }
    }
}
