//! `pli`: the Pli server and its operator commands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use server::clock::shared_offset;
use server::config::Config;
use server::db::Db;
use server::{StartError, devsetup, telemetry};

mod verify_cli;

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
        /// A signed tree head of the transparency log (its sealed checkpoint PDF, from
        /// /log/heads): check, offline, that the evidence is in the log under that head.
        #[arg(long, value_name = "HEAD.pdf", requires = "proof")]
        head: Option<PathBuf>,
        /// The evidence's inclusion proof (/log/inclusion/ID, or a dossier's log/inclusion.json).
        #[arg(long, value_name = "PROOF.json", requires = "head")]
        proof: Option<PathBuf>,
    },
    /// The public transparency log of evidence.
    Log {
        #[command(subcommand)]
        action: LogAction,
    },
    /// Walk the journal's hash chain and report the first break (exit 1 if any).
    VerifyLedger,
    /// Print the URL path of every server function this binary serves, one a line (the build
    /// scripts check that the WASM client calls only these).
    ServerFns,
    /// The service's trusted staff (policy §13.1.3).
    Operators {
        #[command(subcommand)]
        action: OperatorsAction,
    },
    /// The development clock shared by every server instance (development mode only).
    Clock {
        #[command(subcommand)]
        action: ClockAction,
    },
}

#[derive(Subcommand)]
enum LogAction {
    /// Check, offline, that the log under the newer signed tree head still holds everything the
    /// older one did (nothing removed, changed or moved): exit 0 when it does, 1 when not.
    Verify {
        /// The older signed tree head (sealed checkpoint PDF).
        old: PathBuf,
        /// The newer signed tree head.
        new: PathBuf,
        /// The consistency proof between them (/log/consistency?from=OLD_SIZE&to=NEW_SIZE).
        #[arg(long, value_name = "PROOF.json")]
        proof: Option<PathBuf>,
        /// Trusted root certificates (PEM or DER); default: the service's published roots.
        #[arg(long, value_name = "ROOT")]
        trust: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum OperatorsAction {
    /// The installation ceremony: names the account at EMAIL security officer, without dual
    /// control, while the service has fewer than two (run it for each of the first two; every
    /// other trusted role is then granted from the back office, requested by one security
    /// officer and approved by the other). Journaled.
    Init {
        /// The address of an account that has confirmed it and enrolled its second factor.
        email: String,
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
                    "configuration OK: mode {:?}, listen {}, database {}, TSA {}, mail {:?}, \
                     identity {:?}",
                    config.mode,
                    config.server.listen,
                    config
                        .database
                        .url
                        .split('@')
                        .next_back()
                        .unwrap_or_default(),
                    config.tsa.url,
                    config.mail.transport,
                    config.identity.provider
                );
                Ok(())
            }
            Command::Clock { action } => clock(config, action).await,
            Command::Operators {
                action: OperatorsAction::Init { email },
            } => operators_init(config, &email).await,
            Command::VerifyLedger => verify_ledger(config).await,
            Command::ServerFns => Ok(()),
            Command::Verify {
                evidence,
                original,
                trust,
                head,
                proof,
            } => {
                let log = head.zip(proof);
                verify_cli::verify_evidence(config, evidence, original, trust, log).await
            }
            Command::Log {
                action:
                    LogAction::Verify {
                        old,
                        new,
                        proof,
                        trust,
                    },
            } => verify_cli::verify_log(config, old, new, proof, trust),
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

async fn operators_init(config: Config, email: &str) -> Result<(), StartError> {
    let db = Db::connect(&config.database.url, 1, true).await?;
    db.migrate().await?;
    // The service time: with the development clock's offset in development.
    let offset = if config.is_development() {
        shared_offset::load(&db).await.map_err(StartError::Clock)?
    } else {
        0
    };
    let now = chrono::Utc::now() + chrono::TimeDelta::milliseconds(offset);
    match server::operators::ceremony::security_officer(&db, now, email).await {
        Ok(id) => {
            println!("{email} is a security officer (assignment {id}); the ceremony is journaled");
            Ok(())
        }
        Err(error) => {
            eprintln!("pli: {error}");
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
