//! `craftos_http_last_error`, and the guard every exported function runs
//! its body in: no panic crosses into C.

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

thread_local! {
    /// The message of the last failing call on this thread.
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

/// Record `message` as this thread's last error.
fn set(message: String) {
    // A NUL would end the C string early: show it instead.
    let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = Some(message));
}

/// This thread's last error, NULL if the last call succeeded.
pub(crate) fn last() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ref().map_or(ptr::null(), |m| m.as_ptr()))
}

/// Run an exported function's body: its error (or panic) becomes this
/// thread's last error and `failed` is returned; success clears the last
/// error.
pub(crate) fn guard<T>(failed: T, body: impl FnOnce() -> Result<T, String>) -> T {
    LAST_ERROR.with(|e| *e.borrow_mut() = None);
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => value,
        Ok(Err(message)) => {
            set(message);
            failed
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            set(format!("internal error: {what}"));
            failed
        }
    }
}

/// [`guard`] for functions that cannot fail but must not unwind into C.
pub(crate) fn quiet(body: impl FnOnce()) {
    guard((), || {
        body();
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;

    fn message() -> Option<String> {
        let p = last();
        // SAFETY: a pointer from `last` is a live C string until the next call.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }

    #[test]
    fn errors_and_panics_become_the_last_error() {
        assert_eq!(guard(-1, || Err("no\0such".to_owned())), -1);
        assert_eq!(message().as_deref(), Some("no\\0such"));
        assert_eq!(guard(0, || Ok(7)), 7);
        assert_eq!(message(), None);
        assert_eq!(guard(-1, || -> Result<i32, String> { panic!("boom") }), -1);
        assert_eq!(message().as_deref(), Some("internal error: boom"));
    }
}
