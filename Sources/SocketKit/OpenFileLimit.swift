// OpenFileLimit.swift — raising the process's soft open-file limit (RLIMIT_NOFILE) to its hard
// limit, so thousands of connections do not stop at the usual soft default of 1,024.

import Glibc

/// The process's open-file limit.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard limit (never lowers it) and returns the soft limit now in
    /// force, or nil when it cannot be read.
    @discardableResult
    public static func raiseToHardLimit() -> UInt64? {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }
}
