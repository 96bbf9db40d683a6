import Foundation
import GongjiDomain

/// Small SVG charts, drawn by our own code so that the same numbers always
/// give the same bytes: integer coordinates, fixed colours, no fonts loaded.
public enum Charts {
    public struct Series: Sendable {
        public var name: String
        /// One value per label (nil: no point there), in fen.
        public var values: [Int64?]
        public init(name: String, values: [Int64?]) {
            self.name = name
            self.values = values
        }
    }

    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
    static let width = 720, height = 380, left = 80, right = 20, top = 60, bottom = 70

    /// A line chart with a point per label (thresholds by policy year).
    public static func lines(title: String, labels: [String], series: [Series]) -> String {
        chart(title: title, labels: labels, series: series) { plot in
            var out = ""
            for (index, item) in series.enumerated() {
                let colour = colours[index % colours.count]
                let points = item.values.enumerated().compactMap { i, value in value.map { (plot.x(i), plot.y($0)) } }
                if points.count > 1 {
                    out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\""
                        + points.map { "\($0.0),\($0.1)" }.joined(separator: " ") + "\"/>\n"
                }
                for (x, y) in points { out += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3\" fill=\"\(colour)\"/>\n" }
            }
            return out
        }
    }

    /// Grouped bars, one group per label (money before and after, by month).
    public static func bars(title: String, labels: [String], series: [Series]) -> String {
        chart(title: title, labels: labels, series: series) { plot in
            var out = ""
            let group = max(plot.step * 7 / 10, 2)
            let bar = max(group / max(series.count, 1), 1)
            for (index, item) in series.enumerated() {
                let colour = colours[index % colours.count]
                for (i, value) in item.values.enumerated() {
                    guard let value else { continue }
                    let x = plot.x(i) - group / 2 + index * bar
                    let y = plot.y(value)
                    out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(bar)\" height=\"\(plot.y(0) - y)\" fill=\"\(colour)\"/>\n"
                }
            }
            return out
        }
    }

    struct Plot {
        var count: Int
        var maximum: Int64
        var step: Int { (Charts.width - Charts.left - Charts.right) / max(count, 1) }
        func x(_ index: Int) -> Int { Charts.left + step * index + step / 2 }
        func y(_ value: Int64) -> Int {
            let span = Int64(Charts.height - Charts.top - Charts.bottom)
            return Charts.height - Charts.bottom - Int(value * span / max(maximum, 1))
        }
    }

    static func chart(title: String, labels: [String], series: [Series], marks: (Plot) -> String) -> String {
        let highest = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let plot = Plot(count: labels.count, maximum: niceCeiling(highest))
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>\n"
        out += "<text x=\"\(width / 2)\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(escaped(title))</text>\n"
        // The value axis: 0, a quarter, ..., the maximum, in yuan.
        for quarter in 0...4 {
            let value = plot.maximum * Int64(quarter) / 4
            let y = plot.y(value)
            out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"#dddddd\"/>\n"
            out += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(axisLabel(value, maximum: plot.maximum))</text>\n"
        }
        out += "<line x1=\"\(left)\" y1=\"\(plot.y(0))\" x2=\"\(width - right)\" y2=\"\(plot.y(0))\" stroke=\"#333333\"/>\n"
        for (index, label) in labels.enumerated() {
            let x = plot.x(index)
            let y = height - bottom + 14
            out += "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"end\" transform=\"rotate(-45 \(x) \(y))\">\(escaped(label))</text>\n"
        }
        out += marks(plot)
        for (index, item) in series.enumerated() {
            let x = left + index * 160
            out += "<rect x=\"\(x)\" y=\"32\" width=\"10\" height=\"10\" fill=\"\(colours[index % colours.count])\"/>\n"
            out += "<text x=\"\(x + 14)\" y=\"41\">\(escaped(item.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// A value axis's label as the pages write money: grouped (`10,000.00`);
    /// on an axis that reaches a million yuan, in 万 (`250.00 万`, half up
    /// once, docs/rules.md convention 1), as the pages' headline totals add.
    static func axisLabel(_ value: Int64, maximum: Int64) -> String {
        let words = Words(.zh)
        guard maximum >= 100_000_000 else { return words.money(Money(fen: value)) }
        return words.money(Money(fen: Rounding.halfUp(value, dividedBy: 10_000) ?? 0)) + " 万"
    }

    /// The smallest 1, 2 or 5 × 10^n yuan (in fen) at or above `value`.
    static func niceCeiling(_ value: Int64) -> Int64 {
        var unit: Int64 = 100
        while true {
            for factor: Int64 in [1, 2, 5] where unit * factor >= value { return unit * factor }
            unit *= 10
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
