//! The embedded development defaults that `pli serve` prepares on first run, with no manual
//! step: the SoftHSM2 configuration and token, the seal key generated inside it, and the
//! development PKI (root CA, seal certificate, time-stamping certificate).

use std::path::{Path, PathBuf};

use crate::config::Config;

/// Why the development environment could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum DevSetupError {
    /// A file or directory under `var_dir` could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes the SoftHSM2 configuration (token directory under `var_dir`) if it is missing and
/// returns its path, to be exported as `SOFTHSM2_CONF` before the PKCS#11 module loads.
pub fn softhsm2_conf(config: &Config) -> Result<Option<PathBuf>, DevSetupError> {
    let Some(conf) = &config.hsm.softhsm2_conf else {
        return Ok(None);
    };
    let tokens = config.var_dir.join("softhsm").join("tokens");
    create_dir(&tokens)?;
    if !conf.exists() {
        let tokens = std::path::absolute(&tokens).map_err(|source| DevSetupError::Write {
            path: tokens.clone(),
            source,
        })?;
        let text = format!(
            "# Written by `pli serve` (development): the SoftHSM2 token of the embedded defaults.\n\
             directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
            tokens.display()
        );
        if let Some(parent) = conf.parent() {
            create_dir(parent)?;
        }
        std::fs::write(conf, text).map_err(|source| DevSetupError::Write {
            path: conf.clone(),
            source,
        })?;
    }
    Ok(Some(conf.clone()))
}

fn create_dir(dir: &Path) -> Result<(), DevSetupError> {
    std::fs::create_dir_all(dir).map_err(|source| DevSetupError::Write {
        path: dir.to_owned(),
        source,
    })
}
