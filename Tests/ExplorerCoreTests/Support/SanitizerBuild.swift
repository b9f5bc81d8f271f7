// SanitizerBuild.swift — whether this test process runs under AddressSanitizer or ThreadSanitizer
// (`swift test --sanitize=…`), for the few tests whose size is chosen for a plain debug build.

import Glibc

enum SanitizerBuild {
    /// True when a sanitizer's runtime is linked in: its entry point is a symbol of the process.
    static let active: Bool = {
        guard let process = dlopen(nil, RTLD_NOW) else { return false }
        defer { dlclose(process) }
        let entryPoints: [String] = ["__asan_init", "__tsan_init"]
        return entryPoints.contains { dlsym(process, $0) != nil }
    }()
}
