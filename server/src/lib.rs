//! Pli's server: configuration, the service clock, the database, the mailer and the HTTP
//! wiring of the Leptos app. The `pli` binary (`main.rs`) is a thin command line over this
//! library, and the integration tests start the real server through [`start`].

// The checkout this crate is built from (`.cargo/config.toml`): clones share one cargo target
// directory, and reading the variable makes cargo rebuild the crate when another clone built it
// last (see docs/build.md, "One target directory, several checkouts").
const _: Option<&str> = option_env!("PLI_CHECKOUT");

/// mimalloc rather than the C library's allocator: rendering a page allocates a great deal from
/// many threads at once, and glibc's malloc spent a third of a page's CPU time in its locks
/// and free lists (issue 11, docs/performance.md). Declared here so that the `pli` binary,
/// the tests and the benches run with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod account;
pub mod audit;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod customers;
pub mod db;
pub use domain::deadline;
pub mod devsetup;
pub mod entities;
pub mod error;
pub mod identity;
pub mod jobs;
pub mod ledger;
pub mod letters;
pub mod long_term;
pub mod mail;
pub mod mailer;
pub mod operators;
pub mod publication;
pub mod sealing;
pub mod store;
pub mod telemetry;
pub mod transparency;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{Db, DbError};
use crate::mailer::{MailError, Mailer};

/// Everything a request handler may need, built once at start-up; a handle that every
/// request, server function and job clones (one reference count, not the certificates,
/// keys and settings it holds).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What an [`AppState`] gives access to.
pub struct Shared {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Clock,
    pub mailer: Mailer,
    pub seal: sealing::seal::Seal,
    pub sealer: sealing::Sealer,
    pub jobs: jobs::Jobs,
    /// The policy statement and terms of use, rendered once (TERMS-01).
    pub publication: Arc<publication::Publication>,
    /// The transparency log as this instance keeps it (issue 12).
    pub log: transparency::Log,
    /// The OpenID provider's metadata and keys, as this instance last read them (issue 14).
    pub oidc: identity::oidc::Cache,
    /// The wallet's trusted issuers' keys, as this instance last read them (issue 14).
    pub wallet: identity::wallet::Cache,
    pub leptos: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos.clone()
    }
}

/// Why the server could not start. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot record an event in the journal: {0}")]
    Record(#[source] sqlx::Error),
    #[error("cannot read the development clock: {0}")]
    Clock(#[source] sqlx::Error),
    #[error("mail settings: {0}")]
    Mail(#[from] MailError),
    #[error(transparent)]
    DevSetup(#[from] devsetup::DevSetupError),
    #[error("evidence seal: {0}")]
    Seal(#[from] sealing::seal::SealError),
    #[error("evidence sealing: {0}")]
    Sealing(#[from] sealing::SealingError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Opens the database (creating an SQLite file only in development), applies migrations and
/// builds the state. `clock` replaces the configured clock (tests).
/// The site's content-addressed bundle directory, relative to the site root: `pkg/<hash>` as
/// `pkg/BUNDLE` names it (scripts/build-site.sh), or `pkg` for a site built without one
/// (server tests, which serve no WASM).
fn bundle_dir(site_root: &std::path::Path) -> String {
    std::fs::read_to_string(site_root.join("pkg/BUNDLE"))
        .ok()
        .map(|hash| hash.trim().to_owned())
        .filter(|hash| !hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit()))
        .map_or_else(|| "pkg".to_owned(), |hash| format!("pkg/{hash}"))
}

pub async fn build_state(config: Config, clock: Option<Clock>) -> Result<AppState, StartError> {
    let db = Db::connect(
        &config.database.url,
        config.database.max_connections,
        config.is_development(),
    )
    .await?;
    db.migrate().await?;
    let clock = match clock {
        Some(clock) => clock,
        None if config.is_development() => Clock::development(
            clock::shared_offset::load(&db)
                .await
                .map_err(StartError::Clock)?,
        ),
        None => Clock::system(),
    };
    let mailer = Mailer::new(&config.mail, db.clone(), clock.clone())?;
    let (seal, key_events) = {
        let config = config.clone();
        let now = clock.now().into();
        tokio::task::spawn_blocking(move || sealing::seal::Seal::prepare(&config, now))
            .await
            .map_err(sealing::seal::SealError::from)??
    };
    let sealer = sealing::Sealer::new(&config, &seal, db.clone(), clock.now()).await?;
    let jobs = jobs::Jobs::new(db.clone(), clock.clone());
    jobs.register(
        contacts::CONSENT_EXPIRY_JOB,
        Arc::new(contacts::ConsentExpiry::new(
            db.clone(),
            sealer.clone(),
            clock.clone(),
            jobs.clone(),
        )),
    );
    for event in &key_events {
        audit::record(&db, clock.now(), event)
            .await
            .map_err(StartError::Record)?;
    }
    let leptos = LeptosOptions::builder()
        .output_name(app::BUNDLE_NAME)
        .site_root(config.server.site_root.to_string_lossy().into_owned())
        .site_pkg_dir(bundle_dir(&config.server.site_root))
        .site_addr(config.server.listen)
        .build();
    let publication = Arc::new(publication::Publication::new(&config.policy.oid));
    let state = AppState(Arc::new(Shared {
        config: Arc::new(config),
        db,
        clock,
        mailer,
        seal,
        sealer,
        jobs,
        publication,
        log: transparency::Log::default(),
        oidc: identity::oidc::Cache::default(),
        wallet: identity::wallet::Cache::default(),
        leptos,
    }));
    // The outbox (job kind `email`) with the letters' notification tracker, and the letters'
    // reminders and expiry.
    letters::register_jobs(&state);
    // Long-term evidence: PAdES-B-LTA extension and renewal (issue 12).
    long_term::register(&state);
    // Legal entities: the 60-day purge, the representative link (issue 13).
    entities::register_jobs(&state);
    letters::storage::sweep_partials(&state.config, letters::upload::UPLOAD_TIME_LIMIT).await;
    Ok(state)
}

/// A server listening and serving; stop it with [`Running::shutdown`].
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

/// Binds the configured address and serves the app (and, in development, keeps the clock in
/// step with the shared offset).
pub async fn start(state: AppState) -> Result<Running, StartError> {
    let addr = state.config.server.listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartError::Listen { addr, source })?;
    let mut background = Vec::new();
    if state.clock.follows_shared_offset() {
        background.push(tokio::spawn(clock::shared_offset::follow(
            state.db.clone(),
            state.clock.clone(),
        )));
    }
    let interval = state.config.ledger.checkpoint_interval_minutes;
    if interval > 0 {
        background.push(tokio::spawn(checkpoints(
            state.clone(),
            Duration::from_secs(interval * 60),
        )));
    }
    background.push(tokio::spawn(
        state.jobs.clone().run_forever(Duration::from_secs(1)),
    ));
    background.push(tokio::spawn(announcements(
        state.clone(),
        Duration::from_secs(60 * 60),
    )));
    if state.config.evidence.long_term {
        background.push(tokio::spawn(long_term::ticker(
            state.clone(),
            Duration::from_secs(state.config.evidence.sweep_seconds.max(1)),
        )));
    }
    background.push(tokio::spawn(planner_statistics(
        state.db.clone(),
        Duration::from_secs(3600),
    )));
    let router = web::router::router(state.clone());
    // Every response leaves as soon as it is written: with Nagle's algorithm on, a response
    // written in two parts (headers, then a file or a streamed page) waited for the client's
    // delayed acknowledgement of the first — 40 ms on Linux — before the second left.
    let listener = axum::serve::ListenerExt::tap_io(listener, |stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
        }
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.await;
        })
        .await
    });
    let started = audit::Event::system(
        "system",
        "start",
        serde_json::json!({ "version": env!("CARGO_PKG_VERSION"), "listen": addr.to_string(), "mode": format!("{:?}", state.config.mode) }),
    );
    audit::record(&state.db, state.clock.now(), &started)
        .await
        .map_err(StartError::Record)?;
    tracing::info!(%addr, mode = ?state.config.mode, "Pli is listening on http://{addr}");
    Ok(Running {
        addr,
        state,
        stop,
        task,
        background,
    })
}

impl Running {
    /// Stops accepting connections, lets in-flight requests finish for up to `grace`, then
    /// closes the database pool.
    pub async fn shutdown(self, grace: Duration) {
        let _ = self.stop.send(());
        match tokio::time::timeout(grace, self.task).await {
            Ok(_) => tracing::info!("all requests finished"),
            Err(_) => tracing::warn!(
                ?grace,
                "requests still running after the grace period were cut"
            ),
        }
        for task in self.background {
            task.abort();
        }
        let stopped = audit::Event::system(
            "system",
            "stop",
            serde_json::json!({ "listen": self.addr.to_string() }),
        );
        if let Err(error) = audit::record(&self.state.db, self.state.clock.now(), &stopped).await {
            tracing::error!(%error, "cannot record the stop event");
        }
        // A connection still checked out (a request cut after the grace period) must not
        // keep the process from stopping.
        if tokio::time::timeout(grace, self.state.db.close())
            .await
            .is_err()
        {
            tracing::warn!(?grace, "database connections still in use at shutdown");
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Keeps the query planner's statistics current as the tables grow (SQLite; see
/// [`db::Db::analyze`]), every `every` (first one after `every`).
async fn planner_statistics(db: db::Db, every: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tick.tick().await;
        if let Err(error) = db.optimize().await {
            tracing::warn!(%error, "cannot refresh the planner's statistics");
        }
    }
}

/// Announces the new editions of the published documents when their day comes (OPS-07): at
/// start, then every `every`.
async fn announcements(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match account::terms::announce_due(&state).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "new editions announced"),
            Err(error) => tracing::error!(%error, "cannot announce the new editions"),
        }
    }
}

/// Seals a checkpoint of the journal every `every` (first one after `every`).
async fn checkpoints(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tick.tick().await;
        match transparency::heads::publish_now(&state).await {
            Ok(Some(issued)) => {
                tracing::info!(evidence_id = %issued.id, "journal checkpoint sealed")
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "cannot seal a journal checkpoint"),
        }
    }
}
