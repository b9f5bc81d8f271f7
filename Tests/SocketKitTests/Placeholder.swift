import XCTest
final class SocketKitTestsPlaceholder: XCTestCase { func testBuilds() {} }
