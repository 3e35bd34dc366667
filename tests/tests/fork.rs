//! A process that forks without exec must not hand the same idempotency key to parent and
//! child. Keys come from a per-thread pool of random bytes; the pool is copied into the child
//! by `fork()`, so without resource-core's fork handler the child's next key would be the
//! parent's next key, and one of two creates would be answered with the other's result.
//!
//! No test harness (`harness = false`): the fork happens in a process with one thread.
#![allow(
    unsafe_code,
    reason = "fork, waitpid and _exit, to test what a fork does"
)]
#![allow(
    clippy::unwrap_used,
    reason = "a test without a harness: a failure is a panic"
)]

#[cfg(unix)]
fn main() {
    use file_link::{CreateFileLink, FileLink};
    use resource_core::Client;
    use tests::{InProcess, json_response, openapi_fixture};

    let transport = InProcess::new(|_| json_response(200, &openapi_fixture("file_link")));
    let client = Client::builder("sk_test_fork")
        .transport(transport.clone())
        .build()
        .unwrap();
    let create = || {
        FileLink::create(&client, &CreateFileLink::new("file_1")).unwrap();
        let requests = transport.requests();
        let last = requests.last().unwrap();
        last.header("Idempotency-Key").unwrap().to_owned()
    };

    // The pool is filled, and has keys left in it when the process forks.
    let before = create();
    let path = std::env::temp_dir().join(format!("fork-key-{}", std::process::id()));

    // SAFETY: one thread, so the child is a whole copy; it makes one call, writes its key and
    // leaves with `_exit`, running no destructor of the parent's.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = match std::fs::write(&path, create()) {
            Ok(()) => 0,
            Err(_) => 1,
        };
        // SAFETY: ends the child at once.
        unsafe { libc::_exit(code) };
    }
    let in_parent = create();
    let mut status = 0;
    // SAFETY: waits for the child started above.
    let waited = unsafe { libc::waitpid(pid, &raw mut status, 0) };
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    let in_child = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();

    for key in [&before, &in_parent, &in_child] {
        assert_eq!(key.len(), 36, "{key}");
    }
    assert_ne!(in_parent, before);
    assert_ne!(
        in_child, in_parent,
        "the child drew the parent's next idempotency key from a pool copied by fork()"
    );
    println!("fork: parent and child drew distinct idempotency keys ... ok");
}

#[cfg(not(unix))]
fn main() {}
