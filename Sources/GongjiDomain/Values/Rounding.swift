/// The one rounding rule of gongji (docs/rules.md, convention 1): an exact
/// quotient is rounded **half-up** — half away from zero for negative values,
/// so that a change of -0.005 and +0.005 round symmetrically.
///
/// Every computed amount in the code base goes through this function once,
/// at the end of its computation; nothing rounds anywhere else.
public enum Rounding {
    /// `numerator × multiplier / divisor`, rounded half-up once.
    ///
    /// The product is formed in 128 bits, so no intermediate value overflows.
    /// Returns nil when the result does not fit in Int64 or `divisor` is not
    /// positive.
    public static func halfUp(_ numerator: Int64, times multiplier: Int64 = 1, dividedBy divisor: Int64) -> Int64? {
        guard divisor > 0 else { return nil }
        let negative = (numerator < 0) != (multiplier < 0)
        let product = numerator.magnitude.multipliedFullWidth(by: multiplier.magnitude)
        let d = UInt64(divisor)
        guard product.high < d else { return nil }  // quotient would not fit in 64 bits
        let (quotient, remainder) = d.dividingFullWidth(product)
        // remainder < d <= Int64.max, so doubling it cannot overflow UInt64.
        let rounded = remainder * 2 >= d ? quotient + 1 : quotient
        guard rounded <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(rounded) : Int64(rounded)
    }
}
