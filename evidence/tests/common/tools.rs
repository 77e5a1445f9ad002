//! The independent programs the tests run (openssl, pyHanko, poppler, qpdf...): where to find
//! them and how to call them.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python tool from the project's venv (`${PLI_CACHE:-~/.cache/pli}/venv/bin`), else from
/// `PATH`.
pub fn tool(name: &str) -> PathBuf {
    let cache = std::env::var_os("PLI_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/pli")));
    if let Some(candidate) = cache.map(|c| c.join("venv/bin").join(name))
        && candidate.is_file()
    {
        return candidate;
    }
    PathBuf::from(name)
}

/// `p` as an argument.
pub fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Runs a program; returns (success, stdout + stderr).
pub fn output(program: impl AsRef<OsStr>, args: &[&str]) -> (bool, String) {
    let program = program.as_ref();
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Runs a program that must succeed; returns its stdout + stderr.
pub fn run(program: impl AsRef<OsStr>, args: &[&str]) -> String {
    let program = program.as_ref();
    let (ok, text) = output(program, args);
    assert!(ok, "{program:?} {args:?} failed:\n{text}");
    text
}

/// `pyhanko sign validate` trusting only `roots` (the test PKIs publish no revocation data);
/// returns whether it exited successfully and its report.
pub fn pyhanko(roots: &[&Path], pdf: &Path) -> (bool, String) {
    let mut args = vec!["sign".to_owned(), "validate".to_owned()];
    for root in roots {
        args.extend(["--trust".to_owned(), path(root)]);
    }
    args.extend(["--trust-replace", "--no-revocation-check", "--pretty-print"].map(str::to_owned));
    args.push(path(pdf));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    output(tool("pyhanko"), &args)
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The DER length of the TLV at the start of `bytes`.
pub fn der_len(bytes: &[u8]) -> usize {
    let first = bytes[1];
    if first < 0x80 {
        return 2 + usize::from(first);
    }
    let n = usize::from(first & 0x7f);
    let len = bytes[2..2 + n]
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    2 + n + len
}
