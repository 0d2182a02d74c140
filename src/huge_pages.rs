//! Transparent huge pages for malloc's large blocks, by re-executing once with glibc's
//! `glibc.malloc.hugetlb` tunable.
//!
//! Where the kernel backs memory with huge pages only on request (THP mode `madvise`, the
//! default of Debian and Ubuntu), glibc requests them only when that tunable is set as the
//! process starts; nothing can ask later. lavapipe allocates render targets with malloc, so
//! without it a multisampled 1600×1200 render faults them in 4 KiB at a time: 20 000 faults
//! of 28 000 in `render --grid 1000`, and the rasteriser's walks over those targets miss the
//! TLB more. On a 2-core machine without a GPU that render took 0.26 s, and 0.24 s with the
//! tunable (medians of 20 alternating runs, four times over), at the same peak memory.
//!
//! The process id stays the same, and the re-executed process puts the user's own
//! `GLIBC_TUNABLES` back before anything else runs, so no child process inherits the tunable.

use std::ffi::OsString;

const VARIABLE: &str = "GLIBC_TUNABLES";
/// Set only for the re-executed process: the user's own `GLIBC_TUNABLES`, empty when unset.
const USER_VALUE: &str = "GRADSCAPE_USER_GLIBC_TUNABLES";

/// How the environment must change before anything else runs: in a re-executed process,
/// `Some(variables)` to set (`Some(value)`) or remove (`None`); `None` in a first start.
pub fn environment_to_restore() -> Option<Vec<(&'static str, Option<OsString>)>> {
    let user_value = std::env::var_os(USER_VALUE)?;
    let user_value = (!user_value.is_empty()).then_some(user_value);
    Some(vec![(VARIABLE, user_value), (USER_VALUE, None)])
}

/// The user's `GLIBC_TUNABLES` (`value`) with the huge-page tunable added, or `None` when the
/// user already chose a value for it.
#[cfg(any(test, all(target_os = "linux", target_env = "gnu")))]
fn with_huge_pages(value: Option<&std::ffi::OsStr>) -> Option<OsString> {
    const TUNABLE_NAME: &str = "glibc.malloc.hugetlb";
    let tunable = format!("{TUNABLE_NAME}=1");
    match value {
        Some(value) if value.to_string_lossy().contains(TUNABLE_NAME) => None,
        Some(value) if !value.is_empty() => {
            let mut joined = value.to_owned();
            joined.push(":");
            joined.push(tunable);
            Some(joined)
        }
        _ => Some(tunable.into()),
    }
}

/// Re-executes this process with the tunable where that pays: glibc on Linux, a kernel in
/// THP mode `madvise`, and no choice of the user's about the tunable. Returns only when it
/// does not re-execute: `Some(error)` when it tried and failed. Not for a process that
/// [`environment_to_restore`] found re-executed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn restart() -> Option<std::io::Error> {
    use std::os::unix::process::CommandExt;
    let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").ok()?;
    if !mode.contains("[madvise]") {
        return None;
    }
    let user_value = std::env::var_os(VARIABLE);
    let value = with_huge_pages(user_value.as_deref())?;
    let executable = match std::env::current_exe() {
        Ok(executable) => executable,
        Err(error) => return Some(error),
    };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(executable);
    if let Some(name) = args.next() {
        command.arg0(name);
    }
    let error = command
        .args(args)
        .env(VARIABLE, value)
        .env(USER_VALUE, user_value.unwrap_or_default())
        .exec();
    Some(error)
}

/// Elsewhere glibc's tunable does not exist.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn restart() -> Option<std::io::Error> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tunable_joins_the_users_own() {
        let joined = |value: Option<&str>| {
            with_huge_pages(value.map(std::ffi::OsStr::new)).map(|v| v.into_string().unwrap())
        };
        assert_eq!(joined(None).as_deref(), Some("glibc.malloc.hugetlb=1"));
        assert_eq!(joined(Some("")).as_deref(), Some("glibc.malloc.hugetlb=1"));
        assert_eq!(
            joined(Some("glibc.malloc.check=3")).as_deref(),
            Some("glibc.malloc.check=3:glibc.malloc.hugetlb=1")
        );
        assert_eq!(
            joined(Some("glibc.malloc.hugetlb=0")),
            None,
            "the user's choice"
        );
    }
}
