//! `spawn_app()`: the real server on a free port with a fresh database, on SQLite or on the
//! PostgreSQL cluster that `make test` starts (its admin URL in `PLI_TEST_POSTGRES_URL`).
//!
//! Every test binary shares one SoftHSM token and development PKI, created once per process
//! (SoftHSM reads `SOFTHSM2_CONF` once, when the PKCS#11 module initialises).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the harness"
)]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

pub mod ca;
pub mod entities;
pub mod flows;
pub mod node_peer;
pub mod oidc_peer;
pub mod operators;
pub mod pages;
pub mod records;
pub mod scenario;
pub mod wallet_peer;

use chrono::{DateTime, Utc};
use server::clock::Clock;
use server::config::Config;
use server::{AppState, Running};
use sqlx::Connection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub state: AppState,
    /// The SMTP server the app sends to, when it was started with one
    /// ([`spawn_app_with_smtp`]); otherwise mail stays in the development mailbox.
    pub smtp: Option<std::sync::Arc<smtp::SmtpServer>>,
    running: Option<Running>,
    _dir: tempfile::TempDir,
}

/// The shared token and PKI directory of this test process.
fn shared_var() -> &'static PathBuf {
    static VAR: OnceLock<PathBuf> = OnceLock::new();
    VAR.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("pli-test-hsm-")
            .tempdir()
            .expect("temp dir")
            .keep();
        let conf = dir.join("softhsm2.conf");
        std::fs::create_dir_all(dir.join("tokens")).expect("token dir");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                dir.join("tokens").display()
            ),
        )
        .expect("softhsm2.conf");
        #[allow(
            unsafe_code,
            reason = "test set-up: before the PKCS#11 module is first loaded"
        )]
        // SAFETY: the only environment write of the process, before the token is touched;
        // no test reads SOFTHSM2_CONF concurrently.
        unsafe {
            std::env::set_var("SOFTHSM2_CONF", &conf);
        }
        // Create the token, keys and certificates once, so that tests only open them.
        let config = base_config(&dir, "sqlite::memory:");
        // Issued at the tests' start time, so that the certificates are valid at every test's
        // manual clock (a PKI issued "now" would not be valid yet at t0, and be re-issued).
        server::sealing::seal::Seal::prepare(&config, t0().into()).expect("development seal");
        dir
    })
}

/// The development defaults, pointed at `var`, listening on a free port.
pub fn base_config(var: &std::path::Path, database_url: &str) -> Config {
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site");
    let env = [
        ("PLI_VAR_DIR", var.display().to_string()),
        ("PLI_SERVER__LISTEN", "127.0.0.1:0".to_owned()),
        ("PLI_SERVER__SITE_ROOT", site.to_owned()),
        ("PLI_DATABASE__URL", database_url.to_owned()),
        ("PLI_PKI__DIR", var.join("pki").display().to_string()),
        // Long-term extension changes stored PDFs in the background: only the tests about it
        // turn it on (server/tests/long_term.rs).
        ("PLI_EVIDENCE__LONG_TERM", "false".to_owned()),
        (
            "PLI_HSM__SOFTHSM2_CONF",
            var.join("softhsm2.conf").display().to_string(),
        ),
    ];
    Config::from_toml(
        server::config::DEFAULT_TOML,
        "test",
        env.map(|(k, v)| (k.to_owned(), v)),
    )
    .expect("test config")
}

/// A fresh, empty database on `backend`; returns its URL.
pub async fn fresh_database(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.join("pli.sqlite3").display()),
        Backend::Postgres => {
            let admin = std::env::var("PLI_TEST_POSTGRES_URL")
                .expect("PLI_TEST_POSTGRES_URL (set by `make test`, see scripts/postgres.sh)");
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("PostgreSQL admin connection");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create database");
            admin.replacen("postgres:///postgres", &format!("postgres:///{name}"), 1)
        }
    }
}

/// Whether PostgreSQL tests can run; `make test` sets both variables so they never skip there.
pub fn postgres_available() -> bool {
    if std::env::var_os("PLI_TEST_POSTGRES_URL").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("PLI_TEST_REQUIRE_POSTGRES").is_none(),
        "PLI_TEST_REQUIRE_POSTGRES is set but PLI_TEST_POSTGRES_URL is not"
    );
    eprintln!("skipped: PostgreSQL tests need PLI_TEST_POSTGRES_URL (make test sets it)");
    false
}

/// A test start time: a fixed instant, so that tests are repeatable.
pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-28T22:30:00Z")
        .expect("t0")
        .to_utc()
}

/// An HTTP client that keeps cookies and does not follow redirects, as a browser tab seen
/// from the server.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the real server with the development defaults adjusted by `adjust`, a manual clock
/// at [`t0`] and a fresh database.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    if std::env::var_os("PLI_TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(std::env::var("PLI_TEST_LOG").unwrap_or_default())
            .with_test_writer()
            .try_init();
    }
    let shared = shared_var();
    let dir = tempfile::Builder::new()
        .prefix("pli-test-")
        .tempdir()
        .expect("temp dir");
    let url = fresh_database(backend, dir.path()).await;
    // As `pli migrate` does before a production start (production never creates SQLite files).
    server::db::Db::connect(&url, 1, true)
        .await
        .expect("create database")
        .close()
        .await;
    let mut config = base_config(shared, &url);
    config.var_dir = dir.path().to_owned();
    adjust(&mut config);
    let state = server::build_state(config, Some(Clock::manual(t0())))
        .await
        .expect("server state");
    let running = server::start(state).await.expect("server start");
    TestApp {
        url: running.url(),
        client: browser(),
        state: running.state.clone(),
        smtp: None,
        running: Some(running),
        _dir: dir,
    }
}

/// Starts the real server sending its mail over SMTP to a real SMTP server (aiosmtpd) started
/// for this test ([`smtp::SmtpServer`], kept in [`TestApp::smtp`]): the tests' mailbox reads
/// ([`records::mails`]) then read what that server took.
pub async fn spawn_app_with_smtp(backend: Backend) -> TestApp {
    let server = std::sync::Arc::new(smtp::SmtpServer::start());
    let url = server.url();
    let mut app = spawn_app_with(backend, |config| {
        config.mail.transport = server::config::MailTransport::Smtp;
        config.mail.smtp_url = Some(url);
    })
    .await;
    app.smtp = Some(server);
    app
}

impl TestApp {
    /// Another server instance on the same database and storage, as a second process would
    /// be, with its own job worker and a manual clock at this one's time.
    pub async fn second_instance(&self) -> TestApp {
        let config = (*self.state.config).clone();
        let state = server::build_state(config, Some(Clock::manual(self.state.clock.now())))
            .await
            .expect("second server state");
        let running = server::start(state).await.expect("second server start");
        TestApp {
            url: running.url(),
            client: browser(),
            state: running.state.clone(),
            smtp: self.smtp.clone(),
            running: Some(running),
            _dir: tempfile::tempdir().expect("dir"),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.text().await.expect("body")
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown(Duration::from_secs(5)).await;
        }
    }
}

/// Runs one async test body against SQLite and against PostgreSQL, as two tests.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if $crate::common::postgres_available() {
                        super::$name($crate::common::Backend::Postgres).await;
                    }
                }
            )*
        }
    };
}

/// The independent validators (pyHanko, poppler's pdfsig, OpenSSL), run as programs.
pub mod validators {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// A program of the test venv (`scripts/setup.sh test`), which may be missing.
    fn venv_path(name: &str) -> PathBuf {
        let cache = std::env::var("PLI_CACHE").unwrap_or_else(|_| {
            format!("{}/.cache/pli", std::env::var("HOME").unwrap_or_default())
        });
        PathBuf::from(cache).join("venv/bin").join(name)
    }

    pub fn venv_bin(name: &str) -> PathBuf {
        let path = venv_path(name);
        assert!(
            path.exists(),
            "{} missing: run `scripts/setup.sh test`",
            path.display()
        );
        path
    }

    /// A TOTP code from an independent generator (pyotp); None when pyotp cannot run.
    pub fn pyotp(secret: &str, unix_seconds: i64) -> Option<String> {
        let output = Command::new(venv_path("python"))
            .args([
                "-c",
                "import sys, pyotp; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))",
                secret,
                &unix_seconds.to_string(),
            ])
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// `pyhanko sign validate`: (judged VALID, output).
    pub fn pyhanko(pdf: &Path, root: &Path) -> (bool, String) {
        let out = Command::new(venv_bin("pyhanko"))
            .args([
                "sign",
                "validate",
                "--no-revocation-check",
                "--pretty-print",
                "--trust-replace",
                "--trust",
            ])
            .arg(root)
            .arg(pdf)
            .output()
            .expect("run pyhanko");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success() && text.contains("judged VALID"), text)
    }

    /// `pdfsig` with an NSS database trusting `root`: (Signature is Valid., output).
    pub fn pdfsig(pdf: &Path, root: &Path) -> (bool, String) {
        let nss = pdf.with_extension("nssdb");
        std::fs::create_dir_all(&nss).expect("nss dir");
        let db = format!("sql:{}", nss.display());
        let run = |args: &[&str]| {
            Command::new("certutil")
                .args(args)
                .output()
                .expect("certutil")
        };
        run(&["-N", "-d", &db, "--empty-password"]);
        run(&[
            "-A",
            "-d",
            &db,
            "-n",
            "root",
            "-t",
            "CT,C,C",
            "-i",
            &root.display().to_string(),
        ]);
        let out = Command::new("pdfsig")
            .args(["-nssdir", &db, "-no-ocsp"])
            .arg(pdf)
            .output()
            .expect("pdfsig");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        (
            text.contains("Signature is Valid.") && !text.contains("Digest Mismatch"),
            text,
        )
    }
}

/// A real SMTP server for the tests: aiosmtpd (PyPI, in the test venv of `scripts/setup.sh
/// test`), run by `smtp_server.py` beside this file, which can refuse an address for good
/// (550) or for a while (451). It stops with the test (its standard input closes).
pub mod smtp {
    use std::io::{BufRead, BufReader};
    use std::path::PathBuf;
    use std::process::{Child, ChildStdin, Command, Stdio};
    use std::time::Duration;

    pub struct SmtpServer {
        pub port: u16,
        child: Child,
        _stdin: ChildStdin,
        dir: tempfile::TempDir,
    }

    /// A free local port (nothing listens on it once this returns).
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .expect("port")
            .local_addr()
            .expect("addr")
            .port()
    }

    impl SmtpServer {
        /// Starts the server on a free port.
        pub fn start() -> SmtpServer {
            SmtpServer::start_on(free_port())
        }

        /// Starts the server on `port`; returns once it accepts connections.
        pub fn start_on(port: u16) -> SmtpServer {
            let python = super::validators::venv_bin("python");
            let dir = tempfile::Builder::new()
                .prefix("pli-smtp-")
                .tempdir()
                .expect("dir");
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/smtp_server.py");
            let mut child = Command::new(python)
                .arg(script)
                .arg(port.to_string())
                .arg(dir.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start the SMTP server (aiosmtpd: run `scripts/setup.sh test`)");
            let stdin = child.stdin.take().expect("stdin");
            let mut ready = String::new();
            BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut ready)
                .expect("SMTP server output");
            assert_eq!(ready.trim(), "READY", "the SMTP server did not start");
            SmtpServer {
                port,
                child,
                _stdin: stdin,
                dir,
            }
        }

        /// The URL of `mail.smtp_url`.
        pub fn url(&self) -> String {
            format!("smtp://127.0.0.1:{}", self.port)
        }

        /// Sets the answers to recipients (see `smtp_server.py`): `refuse` answered 550,
        /// `defer` answered 451 that many times then accepted, `defer_always` 451 every time.
        pub fn rules(&self, rules: serde_json::Value) {
            let path = self.dir.path().join("rules.conf");
            let part = self.dir.path().join("rules.conf.part");
            std::fs::write(&part, rules.to_string()).expect("rules");
            std::fs::rename(part, path).expect("rules");
        }

        /// The files with `extension` the server wrote, oldest first.
        fn files(&self, extension: &str) -> Vec<String> {
            let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
                .expect("messages")
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == extension))
                .collect();
            files.sort();
            files
                .iter()
                .map(|path| std::fs::read_to_string(path).expect("message"))
                .collect()
        }

        /// Every message the server took, oldest first (raw RFC 5322 text).
        pub fn messages(&self) -> Vec<String> {
            self.files("eml")
        }

        /// Every message the server took, oldest first, as read by Python's `email` package.
        pub fn received(&self) -> Vec<Received> {
            self.files("json")
                .iter()
                .map(|json| serde_json::from_str(json).expect("message JSON"))
                .collect()
        }

        /// The messages to `address` (by their `To:` header).
        pub fn messages_to(&self, address: &str) -> Vec<String> {
            let header = format!("To: {address}").to_lowercase();
            self.messages()
                .into_iter()
                .filter(|m| m.to_lowercase().contains(&header))
                .collect()
        }

        /// Waits up to 5 s for `n` messages to `address`; returns them.
        pub async fn wait_for(&self, address: &str, n: usize) -> Vec<String> {
            for _ in 0..100 {
                let found = self.messages_to(address);
                if found.len() >= n {
                    return found;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            self.messages_to(address)
        }
    }

    /// A message the server took, decoded.
    #[derive(Clone, Debug, serde::Deserialize)]
    pub struct Received {
        pub to: String,
        pub subject: String,
        /// The plain-text part.
        pub text: String,
        pub message_id: String,
    }

    impl Drop for SmtpServer {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
