//! Where attachment bytes live: files under `<var_dir>/attachments`, named by attachment id.
//! Several server instances share it (put `var_dir` on shared storage in production). A file
//! is written as `<id>.part` and renamed once its hash is checked, so that a crash leaves at
//! most a `.part` file and never a half-written attachment.

use std::path::PathBuf;

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
