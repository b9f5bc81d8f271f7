// swift-tools-version:6.0
// sockpit — a terminal program for exploring sockets.
// Targets depend one way, top on bottom: sockpit → CursesBackend → TerminalUI → ExplorerCore → SocketKit;
// TLSKit (OpenSSL through COpenSSL) sits beside SocketKit, below ExplorerCore.
import PackageDescription

let package = Package(
    name: "sockpit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sockpit", targets: ["sockpit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNCurses",
            path: "Modules/CNCurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            path: "Modules/COpenSSL",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "CSocketKit"),
        .target(name: "SocketKit", dependencies: ["CSocketKit"]),
        .target(name: "TLSKit", dependencies: ["COpenSSL", "SocketKit"]),
        .target(name: "ExplorerCore", dependencies: [
            "SocketKit", "CSocketKit", "TLSKit", .product(name: "DequeModule", package: "swift-collections"),
        ]),
        .target(name: "TerminalUI", dependencies: ["ExplorerCore", "SocketKit"]),
        .target(name: "CursesBackend", dependencies: ["CNCurses", "TerminalUI"]),
        .executableTarget(
            name: "sockpit",
            dependencies: [
                "SocketKit", "ExplorerCore", "TerminalUI", "CursesBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SocketKitTests", dependencies: ["SocketKit"]),
        .testTarget(name: "TLSKitTests", dependencies: ["TLSKit", "SocketKit"]),
        .testTarget(name: "ExplorerCoreTests", dependencies: ["ExplorerCore", "SocketKit"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "ExplorerCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SocketKit"]),
        // The executable's own pieces at the edge (history file, directory listing, init file).
        .testTarget(name: "SockpitTests", dependencies: ["sockpit", "TerminalUI"]),
    ],
    swiftLanguageModes: [.v6]
)
