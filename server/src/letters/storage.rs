//! Where attachment bytes live: files under `<var_dir>/attachments`, named by attachment id.
//! Several server instances share it (put `var_dir` on shared storage in production). A file
//! is written as `<id>.part` and renamed once its hash is checked, so that a crash leaves at
//! most a `.part` file and never a half-written attachment. Such orphans are removed at
//! start-up ([`sweep_partials`]) once older than the longest upload allowed
//! ([`super::upload::UPLOAD_TIME_LIMIT`]).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::config::Config;

fn dir(config: &Config) -> PathBuf {
    config.var_dir.join("attachments")
}

/// The file of a stored attachment.
pub fn path(config: &Config, key: &str) -> PathBuf {
    dir(config).join(key)
}

/// Where an upload is received before its hash is checked.
pub fn partial_path(config: &Config, key: &str) -> PathBuf {
    dir(config).join(format!("{key}.part"))
}

/// Makes a received upload the attachment `key`.
pub async fn commit(config: &Config, key: &str) -> std::io::Result<()> {
    tokio::fs::rename(partial_path(config, key), path(config, key)).await
}

/// Removes an attachment's file (a draft's attachment being deleted, or a failed upload).
pub async fn remove(config: &Config, key: &str) {
    if let Err(error) = tokio::fs::remove_file(path(config, key)).await
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(%error, key, "cannot remove an attachment file");
    }
}

/// Removes the `.part` files left by uploads interrupted by a crash: those not written for
/// longer than `older_than` (the longest upload allowed, so never one still being received,
/// even by another instance sharing `var_dir`). Real time (file times), not the service clock:
/// moving the development clock must not delete an upload in progress. Returns how many were
/// removed; problems are logged, never fatal.
pub async fn sweep_partials(config: &Config, older_than: Duration) -> usize {
    let mut entries = match tokio::fs::read_dir(dir(config)).await {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return 0,
        Err(error) => {
            tracing::warn!(%error, "cannot list the attachment directory");
            return 0;
        }
    };
    let now = SystemTime::now();
    let mut removed = 0;
    loop {
        let entry = match entries.next_entry().await {
            Ok(Some(entry)) => entry,
            Ok(None) => break,
            Err(error) => {
                tracing::warn!(%error, "cannot list the attachment directory");
                break;
            }
        };
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "part") {
            continue;
        }
        let stale = match entry.metadata().await.and_then(|m| m.modified()) {
            Ok(modified) => now
                .duration_since(modified)
                .is_ok_and(|age| age > older_than),
            Err(error) => {
                tracing::warn!(%error, path = %path.display(), "cannot read a partial upload's time");
                false
            }
        };
        if !stale {
            continue;
        }
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {
                removed += 1;
                tracing::info!(path = %path.display(), "orphan partial upload removed");
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                tracing::warn!(%error, path = %path.display(), "cannot remove a partial upload")
            }
        }
    }
    removed
}
