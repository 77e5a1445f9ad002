//! `pli`: the Pli server and its operator commands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use server::clock::shared_offset;
use server::config::Config;
use server::db::Db;
use server::{StartError, devsetup, telemetry};

// Which checkout the binary is built from: see server/src/lib.rs and scripts/own-binary.sh.
const _: Option<&str> = option_env!("PLI_CHECKOUT");

#[derive(Parser)]
#[command(
    name = "pli",
    version,
    about = "Pli, qualified electronic registered delivery service"
)]
struct Cli {
    /// Configuration file (default: ./pli.toml if present, else the built-in defaults).
    #[arg(long, global = true, env = "PLI_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the application (prepares the embedded defaults in development mode).
    Serve,
    /// Apply the database migrations (creates an SQLite file if needed), then exit.
    Migrate,
    /// Check the configuration and print the effective settings' summary.
    CheckConfig,
    /// Verify an evidence PDF: seal, certificate chain, time-stamp, integrity, journal
    /// inclusion; with --file, whether ORIGINAL is a file the evidence records (exit 0 when
    /// every check passed, 1 when one failed, 2 when a file cannot be read). Given a dossier
    /// ZIP, checks its manifest and every evidence in it.
    Verify {
        /// The evidence PDF.
        evidence: PathBuf,
        /// An original file to check against the digests the evidence records.
        #[arg(long = "file", value_name = "ORIGINAL")]
        original: Option<PathBuf>,
        /// Trusted root certificates (PEM or DER); default: the service's published roots.
        #[arg(long, value_name = "ROOT")]
        trust: Vec<PathBuf>,
    },
    /// Walk the journal's hash chain and report the first break (exit 1 if any).
    VerifyLedger,
    /// Print the URL path of every server function this binary serves, one a line (the build
    /// scripts check that the WASM client calls only these).
    ServerFns,
    /// The development clock shared by every server instance (development mode only).
    Clock {
        #[command(subcommand)]
        action: ClockAction,
    },
}

#[derive(Subcommand)]
enum ClockAction {
    /// Print the service time and the offset.
    Show,
    /// Move the service time forward, e.g. `4d`, `12h`, `30m`, `45s`.
    Advance { by: String },
    /// Back to real time.
    Reset,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::ServerFns = cli.command {
        let mut paths: Vec<_> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect();
        paths.sort_unstable();
        paths.iter().for_each(|path| println!("{path}"));
        return ExitCode::SUCCESS;
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => return fail(&error),
    };
    telemetry::init(!config.is_development());
    if config.is_development()
        && std::env::var_os("SOFTHSM2_CONF").is_none()
        && let Err(error) = export_softhsm2_conf(&config)
    {
        return fail(&error);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&error),
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve => serve(config).await,
            Command::Migrate => migrate(config).await,
            Command::CheckConfig => {
                println!(
                    "configuration OK: mode {:?}, listen {}, database {}, TSA {}, mail {:?}",
                    config.mode,
                    config.server.listen,
                    config
                        .database
                        .url
                        .split('@')
                        .next_back()
                        .unwrap_or_default(),
                    config.tsa.url,
                    config.mail.transport
                );
                Ok(())
            }
            Command::Clock { action } => clock(config, action).await,
            Command::VerifyLedger => verify_ledger(config).await,
            Command::ServerFns => Ok(()),
            Command::Verify {
                evidence,
                original,
                trust,
            } => verify_evidence(config, evidence, original, trust).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &dyn std::error::Error) -> ExitCode {
    eprintln!("pli: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    ExitCode::FAILURE
}

/// SoftHSM2 reads `SOFTHSM2_CONF` when the PKCS#11 module initialises; in development we point
/// it at the token under `var_dir`. Done before the async runtime starts any thread.
fn export_softhsm2_conf(config: &Config) -> Result<(), devsetup::DevSetupError> {
    if let Some(conf) = devsetup::softhsm2_conf(config)? {
        #[allow(
            unsafe_code,
            reason = "single-threaded: no other thread reads the environment yet"
        )]
        // SAFETY: called from `main` before the tokio runtime (or any other thread) exists.
        unsafe {
            std::env::set_var("SOFTHSM2_CONF", conf);
        }
    }
    Ok(())
}

async fn serve(config: Config) -> Result<(), StartError> {
    let grace = Duration::from_secs(config.server.shutdown_grace_seconds);
    let state = server::build_state(config, None).await?;
    let running = server::start(state).await?;
    println!(
        "Pli is running at {}",
        running.state.config.server.public_url
    );
    shutdown_signal().await;
    tracing::info!("shutdown requested");
    running.shutdown(grace).await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[derive(Debug, thiserror::Error)]
enum VerifyCliError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Trust(#[from] evidence::verify::VerifyError),
    #[error("verification task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error(
        "--file {0} applies to an evidence PDF, not to a dossier: extract the evidence from \
         the dossier and verify it with --file"
    )]
    FileWithDossier(PathBuf),
}

async fn verify_evidence(
    config: Config,
    evidence_path: PathBuf,
    original: Option<PathBuf>,
    trust: Vec<PathBuf>,
) -> Result<(), StartError> {
    match verify_evidence_inner(&config, &evidence_path, original, trust).await {
        Ok(true) => Ok(()),
        Ok(false) => std::process::exit(1),
        Err(error) => {
            eprintln!("pli: {error}");
            std::process::exit(2);
        }
    }
}

async fn verify_evidence_inner(
    config: &Config,
    evidence_path: &std::path::Path,
    original: Option<PathBuf>,
    trust: Vec<PathBuf>,
) -> Result<bool, VerifyCliError> {
    let read = |path: &std::path::Path| {
        std::fs::read(path).map_err(|source| VerifyCliError::Read {
            path: path.to_owned(),
            source,
        })
    };
    let pdf = read(evidence_path)?;
    let dossier = pdf.starts_with(b"PK\x03\x04");
    let trust = if trust.is_empty() {
        let mut paths = vec![config.pki.dir.join("root.pem")];
        paths.extend(config.tsa.trust_roots.iter().cloned());
        paths
    } else {
        trust
    };
    let mut roots = Vec::new();
    for path in &trust {
        roots.extend(evidence::verify::trust_roots_from_bytes(&read(path)?)?);
    }
    if dossier {
        if let Some(path) = &original {
            // A dossier holds evidence of several files: which one `--file` should match is
            // not for us to guess. Each evidence PDF of the dossier can be checked alone.
            return Err(VerifyCliError::FileWithDossier(path.clone()));
        }
        // LET-12: an evidence dossier (ZIP with a manifest).
        let report =
            tokio::task::spawn_blocking(move || server::letters::dossier::verify_zip(&pdf, &roots))
                .await?;
        if let Some(problem) = &report.problem {
            println!("Dossier: {problem}");
        }
        for file in &report.files {
            println!(
                "{} {} ({}): {}",
                if file.listed && file.valid {
                    "OK "
                } else {
                    "BAD"
                },
                file.name,
                file.kind.as_deref().unwrap_or("unknown"),
                match (file.listed, file.valid) {
                    (true, true) => "valid evidence, SHA-256 as listed in the manifest",
                    (false, true) =>
                        "valid evidence, but not listed with this SHA-256 in the manifest",
                    (_, false) =>
                        "NOT a valid evidence (check it alone with `pli verify` for details)",
                }
            );
        }
        for name in &report.missing {
            println!("BAD {name}: listed in the manifest but missing from the dossier");
        }
        println!(
            "{}",
            if report.valid() {
                "RESULT: VALID DOSSIER"
            } else {
                "RESULT: INVALID DOSSIER"
            }
        );
        return Ok(report.valid());
    }
    let original_sha256 = match &original {
        Some(path) => Some(sha256_file(path).map_err(|source| VerifyCliError::Read {
            path: path.clone(),
            source,
        })?),
        None => None,
    };
    let db = Db::connect(&config.database.url, 1, false).await;
    let (report, seq) =
        server::sealing::verification::verify(db.as_ref().ok(), roots, pdf, original_sha256)
            .await?;
    println!("{report}");
    match (&db, seq) {
        (Err(error), _) => println!("Journal: not checked ({error})"),
        (Ok(_), Some(seq)) => {
            println!("Journal: recorded as entry #{seq} of this service's journal")
        }
        (Ok(_), None) => println!("Journal: not recorded in this service's journal"),
    }
    // A failed check fails the verdict: the seal's, or the original file's when one was given
    // (the question asked was "is this the evidence of this file?").
    let original_mismatch = report.original_file_matches() == Some(false)
        || (original.is_some() && report.original_file_matches().is_none());
    let verdict = match (report.valid(), original_mismatch) {
        (true, false) => "RESULT: VALID",
        (true, true) => {
            "RESULT: INVALID (the evidence is valid, but the --file given is not one it records)"
        }
        (false, _) => "RESULT: INVALID",
    };
    println!("{verdict}");
    Ok(report.valid() && !original_mismatch)
}

/// SHA-256 of a file, streamed.
fn sha256_file(path: &std::path::Path) -> std::io::Result<[u8; 32]> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().into())
}

async fn verify_ledger(config: Config) -> Result<(), StartError> {
    let db = Db::connect(&config.database.url, 1, false).await?;
    let report = server::ledger::verify(&db)
        .await
        .map_err(StartError::Record)?;
    match report.first_break {
        None => {
            println!(
                "journal intact: {} entries, head {}",
                report.entries, report.head
            );
            Ok(())
        }
        Some(problem) => {
            println!(
                "journal BROKEN: {problem} ({} entries, head {})",
                report.entries, report.head
            );
            std::process::exit(1);
        }
    }
}

async fn migrate(config: Config) -> Result<(), StartError> {
    let db = Db::connect(&config.database.url, 1, true).await?;
    db.migrate().await?;
    println!("database is up to date");
    Ok(())
}

#[derive(Debug, thiserror::Error)]
enum ClockError {
    #[error("the development clock exists only in development mode")]
    NotDevelopment,
    #[error("`{0}` is not a duration: use a number followed by d, h, m or s (e.g. 4d)")]
    Duration(String),
}

async fn clock(config: Config, action: ClockAction) -> Result<(), StartError> {
    if !config.is_development() {
        eprintln!("pli: {}", ClockError::NotDevelopment);
        return Ok(());
    }
    let db = Db::connect(&config.database.url, 1, true).await?;
    db.migrate().await?;
    match action {
        ClockAction::Show => {}
        ClockAction::Advance { by } => match parse_duration(&by) {
            Some(seconds) => {
                shared_offset::add(&db, seconds * 1000)
                    .await
                    .map_err(StartError::Clock)?;
            }
            None => {
                eprintln!("pli: {}", ClockError::Duration(by));
                return Ok(());
            }
        },
        ClockAction::Reset => shared_offset::reset(&db).await.map_err(StartError::Clock)?,
    }
    let offset = shared_offset::load(&db).await.map_err(StartError::Clock)?;
    let clock = server::clock::Clock::development(offset);
    println!(
        "service time {} (offset {} s)",
        clock.now().to_rfc3339(),
        offset / 1000
    );
    Ok(())
}

/// `4d`, `12h`, `30m`, `45s` → seconds.
fn parse_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let number: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let factor = match unit {
        'd' => 86_400,
        'h' => 3600,
        'm' => 60,
        's' => 1,
        _ => return None,
    };
    number.checked_mul(factor).filter(|s| *s > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations() {
        assert_eq!(super::parse_duration("4d"), Some(345_600));
        assert_eq!(super::parse_duration("90m"), Some(5400));
        assert_eq!(super::parse_duration("x"), None);
        assert_eq!(super::parse_duration("-1d"), None);
    }
}
