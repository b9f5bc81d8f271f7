// ThreadLock.swift — a value shared between threads behind a pthread mutex.
//
// Why not `Synchronization.Mutex`: ThreadSanitizer does not see the ordering a contended `Mutex`
// gives (its slow path waits on a futex, which TSan does not intercept), so every queue shared with
// a worker thread reported races that a plain `Mutex` program reproduces (Tests/Sanitizers/README.md).
// `pthread_mutex_lock` is intercepted, so TSan checks this lock's users for real. The mutex lives in
// memory of its own: a pthread mutex must not move, and a Swift stored property may.

import Glibc

/// `Value` guarded by one `pthread_mutex_t`; every access goes through `withLock`.
///
/// `@unchecked Sendable` is safe here: the only stored state is `value`, read and written only
/// inside `withLock` while `mutex` is held, and `mutex` itself (a pointer set once in `init`)
/// is only handed to the pthread calls, which are thread-safe by contract. `Value: Sendable`
/// means what leaves the lock may cross threads.
public final class ThreadLock<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Default attributes cannot fail to initialise a normal mutex (EINVAL/ENOMEM are for
        // attribute objects and robust mutexes, neither used).
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock. `body` must not take this lock again.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
