// SocketTableTests — the panes' id lists and the open-connection count stay in step with every
// insert, update and removal.

import ExplorerCore
import Testing

@Suite("SocketTable lists")
struct SocketTableTests {
    func entry(_ id: Int, _ role: SocketRole, _ state: SocketState = .established) -> SocketEntry {
        SocketEntry(id: SocketID(id), transport: .tcp, role: role, state: state, requested: "", openedAt: 0)
    }

    @Test func listsKeepIdOrderAndCountOpenConnections() {
        var table = SocketTable()
        table.insert(entry(1, .listener, .listening))
        table.insert(entry(2, .accepted(via: SocketID(1))))
        table.insert(entry(3, .datagram, .listening))
        table.insert(entry(4, .outgoing, .connecting))
        #expect(table.listenerIDs == [SocketID(1), SocketID(3)])
        #expect(table.connectionIDs == [SocketID(2), SocketID(4)])
        #expect(table.listeners.map(\.id) == [SocketID(1), SocketID(3)])
        #expect(table.connections.map(\.id) == [SocketID(2), SocketID(4)])
        #expect(table.openConnectionCount == 2)

        table.update(SocketID(2)) { $0.state = .closed }
        #expect(table.openConnectionCount == 1)
        table.update(SocketID(1)) { $0.state = .closed }  // a listener does not count
        #expect(table.openConnectionCount == 1)
        table.insert(entry(4, .outgoing, .failed("connect: ECONNREFUSED")))  // replacing an entry
        #expect(table.openConnectionCount == 0)
        #expect(table.connectionIDs == [SocketID(2), SocketID(4)])

        table[SocketID(2)] = nil
        #expect(table.connectionIDs == [SocketID(4)])
        #expect(table.order == [SocketID(1), SocketID(3), SocketID(4)])
        table[SocketID(3)] = nil
        #expect(table.listenerIDs == [SocketID(1)])
        table.insert(entry(5, .paired(with: SocketID(6))))
        #expect(table.openConnectionCount == 1)
        #expect(table.openConnections.map(\.id) == [SocketID(5)])
    }
}
