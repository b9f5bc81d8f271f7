// LogFind.swift — walking `find`'s matches on the screen: the jump to the newest match when `find`
// runs, F6 / Shift-F6 to the next older / newer one, and `match 3/9` in the log's title.

import ExplorerCore

/// Where the screen stands among the current search's matches.
public struct FindWalk: Equatable, Sendable {
    /// 0 = the newest match; counting up goes back in time.
    public var index: Int
    /// How many matches the search found (at least, when not `complete`).
    public var total: Int
    public var complete: Bool
    /// The match shown, drawn stronger than the others.
    public var current: LogMatch

    /// `match 3/9`, `match 1/10000+`.
    public var title: String { "match \(index + 1)/\(total)\(complete ? "" : "+")" }
}

extension ScreenController {
    /// `find` just ran: show its newest match among the entries the filter shows.
    public static func startFind(ui: inout UIState, model: ScreenModel) {
        ui.find = nil
        walkFind(older: true, ui: &ui, model: model)
    }

    /// Steps to the next older (`older`) or newer match, wrapping around, and scrolls the log so
    /// its entry is the bottom one.
    static func walkFind(older: Bool, ui: inout UIState, model: ScreenModel) {
        guard let search = model.view.search else {
            ui.notice = "nothing to walk: find TEXT or find /REGEX/ first"
            return
        }
        let check = model.view.logFilter.checker()
        let found = search.collect(in: model.log) { check.passes($0, table: model.table) }
        guard !found.matches.isEmpty else {
            ui.find = nil
            ui.notice = "\(search): no match in the log" + (model.view.logFilter.isEmpty ? "" : " as filtered")
            return
        }
        let count = found.matches.count
        let index = ui.find.map { (($0.index + (older ? 1 : -1)) % count + count) % count } ?? 0
        let match = found.matches[index]
        ui.find = FindWalk(index: index, total: count, complete: found.complete, current: match)
        ui.logScroll = LogScroll(bottomSequence: match.sequence)
    }
}
