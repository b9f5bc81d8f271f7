// SanitizerBuild.swift — whether this test process runs under AddressSanitizer or ThreadSanitizer
// (`swift test --sanitize=…`), for the few tests whose size is chosen for a plain debug build.

import Glibc

enum SanitizerBuild {
    /// True when a sanitizer's runtime is linked in: its entry point is a symbol of the process.
    static let active: Bool = linked("__asan_init") || thread

    /// True under ThreadSanitizer, several times slower again than AddressSanitizer.
    static let thread: Bool = linked("__tsan_init")

    private static func linked(_ entryPoint: String) -> Bool {
        guard let process = dlopen(nil, RTLD_NOW) else { return false }
        defer { dlclose(process) }
        return dlsym(process, entryPoint) != nil
    }
}
