import XCTest
final class ExplorerCoreTestsPlaceholder: XCTestCase { func testBuilds() {} }
