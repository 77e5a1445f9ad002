//! Configuration: `pli.toml` (every setting documented there), overridden by environment
//! variables, validated once at start-up and then passed around in [`crate::AppState`].
//!
//! Environment overrides use the `PLI_` prefix and a double underscore between a section and a
//! key: `PLI_MODE=production`, `PLI_DATABASE__URL=postgres://...`, `PLI_SERVER__LISTEN=...`.
//! Values are read as TOML when they parse as such (numbers, booleans, arrays), else as text.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Why the configuration was refused. Each message names the setting to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The configuration file exists but could not be read.
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file (with overrides applied) is not valid TOML or has unknown/mistyped settings.
    #[error("invalid configuration ({origin}): {message}")]
    Parse { origin: String, message: String },
    /// A setting has a value that cannot work; the message says which and why.
    #[error("invalid setting `{setting}`: {reason}")]
    Invalid {
        setting: &'static str,
        reason: String,
    },
}

/// The service's mode. Development enables the embedded defaults (SQLite, SoftHSM token and
/// development PKI created on first run, built-in TSA, development mailbox and clock pages) and
/// labels every page as not qualified.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Production,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub mode: Mode,
    /// Directory for the embedded defaults' files (SQLite database, SoftHSM token, dev PKI).
    pub var_dir: PathBuf,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub hsm: HsmConfig,
    pub pki: PkiConfig,
    pub tsa: TsaConfig,
    pub mail: MailConfig,
    pub policy: PolicyConfig,
    pub ledger: LedgerConfig,
    #[serde(default)]
    pub evidence: EvidenceConfig,
    #[serde(default)]
    pub identity: IdentityConfig,
}

/// Identity proofing (issue 14, ID-01): which provider proves who people are.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityConfig {
    /// `simulator` (development only, NOT qualified), `oidc` or `wallet`.
    #[serde(default)]
    pub provider: IdentityProviderKind,
    /// The OpenID Connect provider, with `provider = "oidc"`.
    pub oidc: Option<OidcConfig>,
    /// The EU digital identity wallet verifier, with `provider = "wallet"`.
    pub wallet: Option<WalletConfig>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IdentityProviderKind {
    #[default]
    Simulator,
    Oidc,
    Wallet,
}

/// An OpenID Connect provider at an eIDAS level (e.g. FranceConnect+): discovered from its
/// issuer URL; Pli is a confidential client (authorization code flow with PKCE).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    /// The name recorded with each proofing and in its evidence (e.g. `franceconnect-plus`).
    pub name: String,
    /// The issuer URL; its `/.well-known/openid-configuration` is read at the first use.
    pub issuer: String,
    pub client_id: String,
    /// The client secret, given directly (development) or read from a file (production).
    pub client_secret: Option<String>,
    pub client_secret_file: Option<PathBuf>,
    /// The provider's `acr` values, from the weakest to the strongest.
    pub levels: Vec<String>,
    /// The lowest level accepted (one of `levels`): a lower one is refused.
    pub required_level: String,
    /// Whether the provider is notified for qualified services (eIDAS Art. 24(1)).
    #[serde(default)]
    pub qualified: bool,
}

/// The EU digital identity wallet (eIDAS Art. 5a): Pli verifies OpenID4VP presentations of a
/// person identification credential in SD-JWT VC format, from the trusted issuers only.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletConfig {
    /// The name recorded with each proofing and in its evidence (e.g. `eudi-wallet`).
    pub name: String,
    /// The issuer identifiers whose credentials are accepted (their keys are read from
    /// `<issuer host>/.well-known/jwt-vc-issuer<issuer path>`).
    pub trusted_issuers: Vec<String>,
    /// The credential type asked for (`vct`).
    #[serde(default = "default_pid_type")]
    pub credential_type: String,
    /// Where the QR code and the same-device link send: the wallets' scheme (`openid4vp://`)
    /// or a wallet's universal link.
    #[serde(default = "default_wallet_url")]
    pub wallet_url: String,
    /// The level of assurance recorded in the evidence (a PID is issued at eIDAS "high").
    #[serde(default = "default_wallet_level")]
    pub level: String,
    /// Whether the wallet route is notified for qualified services (eIDAS Art. 24(1a)(a)).
    #[serde(default)]
    pub qualified: bool,
}

fn default_pid_type() -> String {
    "urn:eudi:pid:1".to_owned()
}

fn default_wallet_url() -> String {
    "openid4vp://".to_owned()
}

fn default_wallet_level() -> String {
    "high".to_owned()
}

/// Long-term evidence (issue 12, EVD-05).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceConfig {
    /// Extend every evidence to PAdES-B-LTA after it is issued (validation data and a document
    /// time-stamp) and renew it before its last time-stamp's certificate expires.
    pub long_term: bool,
    /// How many days before that expiry an evidence is renewed.
    pub renew_before_days: u32,
    /// Seconds between two sweeps for evidences to extend or renew.
    pub sweep_seconds: u64,
}

impl Default for EvidenceConfig {
    fn default() -> Self {
        EvidenceConfig {
            long_term: true,
            renew_before_days: 90,
            sweep_seconds: 60,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerConfig {
    /// Minutes between sealed checkpoints of the journal's head (0: only on demand).
    pub checkpoint_interval_minutes: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// The address users reach the service at; used to build links in emails.
    pub public_url: String,
    /// Where the built site (WASM, JS, CSS and `public/`) lives.
    pub site_root: PathBuf,
    /// Seconds given to in-flight requests after SIGTERM before the process exits.
    pub shutdown_grace_seconds: u64,
    /// Addresses of the reverse proxies in front of the service, whose `X-Forwarded-For`
    /// header tells the client's address (rate limiting, journal). Empty: the TCP peer is the
    /// client and the header is ignored.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://USER@HOST/DB` (also `postgres:///DB?host=/socket/dir`).
    pub url: String,
    pub max_connections: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HsmConfig {
    /// The PKCS#11 module (shared library) of the HSM.
    pub module: PathBuf,
    pub token_label: String,
    /// Label of the evidence seal key pair inside the token.
    pub seal_key_label: String,
    /// User PIN, given directly (development) ...
    pub user_pin: Option<String>,
    /// ... or read from a file (production); exactly one of the two.
    pub user_pin_file: Option<PathBuf>,
    /// Security-officer PIN, used only in development to initialise a new SoftHSM token.
    pub so_pin: Option<String>,
    /// SoftHSM2 configuration file written and used in development (its token directory is
    /// `var_dir/softhsm/tokens`); ignored when `SOFTHSM2_CONF` is already set.
    pub softhsm2_conf: Option<PathBuf>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PkiConfig {
    /// Directory of the published certificates: `root.pem`, `seal.pem`, `tsa.pem`. In
    /// development the development PKI is created there on first run.
    pub dir: PathBuf,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TsaConfig {
    /// `builtin` (development only: our own, not qualified, TSA) or the URL of an RFC 3161
    /// time-stamping authority.
    pub url: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// PEM files of the roots the TSA's certificate chains to (in addition to `pki.dir/root.pem`).
    #[serde(default)]
    pub trust_roots: Vec<PathBuf>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The `From:` of every email, e.g. `Pli <no-reply@example.org>`.
    pub from: String,
    /// `dev-mailbox` (development only: kept in the database, shown at /dev/mailbox) or `smtp`.
    pub transport: MailTransport,
    /// With `smtp`: `smtp://host:port` (plain, for a local relay), `smtps://...` (TLS) or
    /// `smtp://...?tls=required` (STARTTLS); credentials as `smtps://user:pass@host`.
    pub smtp_url: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MailTransport {
    DevMailbox,
    Smtp,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// OID of the policy in force, written in every evidence and on the policy page.
    pub oid: String,
    /// IANA time zone in which calendar-day deadlines are counted (LET-06).
    pub legal_time_zone: String,
    /// Where users write to the operator (accessibility statement: a user who cannot reach
    /// a content asks for it there). Optional; an email address.
    #[serde(default)]
    pub contact_email: Option<String>,
}

/// The settings of `pli.toml` at the root of the repository: the embedded development defaults.
pub const DEFAULT_TOML: &str = include_str!("../../pli.toml");

impl Config {
    /// Loads `path` if given (it must exist), else `pli.toml` in the current directory if it
    /// exists, else the built-in defaults; then applies `PLI_*` environment overrides.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let (text, origin) = match path {
            Some(path) => (read(path)?, path.display().to_string()),
            None if Path::new("pli.toml").exists() => {
                (read(Path::new("pli.toml"))?, "pli.toml".to_owned())
            }
            None => (DEFAULT_TOML.to_owned(), "built-in defaults".to_owned()),
        };
        Config::from_toml(&text, &origin, std::env::vars())
    }

    /// Parses `text`, applies the overrides among `env`, validates.
    pub fn from_toml(
        text: &str,
        origin: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let parse_error = |message: String| ConfigError::Parse {
            origin: origin.to_owned(),
            message,
        };
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| parse_error(e.to_string()))?;
        for (name, value) in env {
            let Some(path) = name.strip_prefix("PLI_") else {
                continue;
            };
            let keys: Vec<String> = path.split("__").map(str::to_lowercase).collect();
            // Only names of settings: PLI_CONFIG and the build scripts' PLI_* are not.
            if !table.contains_key(&keys[0]) {
                continue;
            }
            set_path(&mut table, &keys, parse_env_value(&value))
                .map_err(|message| parse_error(format!("{name}: {message}")))?;
        }
        let config: Config = table
            .try_into()
            .map_err(|e: toml::de::Error| parse_error(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    pub fn is_development(&self) -> bool {
        self.mode == Mode::Development
    }

    /// Refuses settings that cannot work, or that would silently weaken a production service.
    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |setting, reason: &str| {
            Err(ConfigError::Invalid {
                setting,
                reason: reason.to_owned(),
            })
        };
        let url = &self.database.url;
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres:")
            || url.starts_with("postgresql:"))
        {
            return invalid(
                "database.url",
                "must start with sqlite:, postgres: or postgresql:",
            );
        }
        if self.database.max_connections == 0 {
            return invalid("database.max_connections", "must be at least 1");
        }
        if !(self.server.public_url.starts_with("http://")
            || self.server.public_url.starts_with("https://"))
        {
            return invalid("server.public_url", "must be an http:// or https:// URL");
        }
        if self.hsm.user_pin.is_some() == self.hsm.user_pin_file.is_some() {
            return invalid(
                "hsm.user_pin",
                "set exactly one of hsm.user_pin and hsm.user_pin_file",
            );
        }
        if self
            .policy
            .legal_time_zone
            .parse::<chrono_tz::Tz>()
            .is_err()
        {
            return invalid(
                "policy.legal_time_zone",
                "not an IANA time zone name (e.g. Europe/Paris)",
            );
        }
        if !is_oid(&self.policy.oid) {
            return invalid(
                "policy.oid",
                "not a dotted object identifier (e.g. 1.2.250.1.x.y)",
            );
        }
        if let Some(contact) = &self.policy.contact_email
            && domain::validation::email(contact).is_err()
        {
            return invalid("policy.contact_email", "not an email address");
        }
        if let Err(e) = self.mail.from.parse::<lettre::message::Mailbox>() {
            return Err(ConfigError::Invalid {
                setting: "mail.from",
                reason: e.to_string(),
            });
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp_url.is_none() {
            return invalid("mail.smtp_url", "required when mail.transport = \"smtp\"");
        }
        if !(self.tsa.url == "builtin"
            || self.tsa.url.starts_with("http://")
            || self.tsa.url.starts_with("https://"))
        {
            return invalid("tsa.url", "must be `builtin` or an http(s) URL");
        }
        if self.identity.provider == IdentityProviderKind::Oidc {
            let Some(oidc) = &self.identity.oidc else {
                return invalid(
                    "identity.oidc",
                    "required when identity.provider = \"oidc\"",
                );
            };
            if !(oidc.issuer.starts_with("https://") || oidc.issuer.starts_with("http://")) {
                return invalid("identity.oidc.issuer", "must be an http(s) URL");
            }
            if oidc.client_secret.is_some() == oidc.client_secret_file.is_some() {
                return invalid(
                    "identity.oidc.client_secret",
                    "set exactly one of client_secret and client_secret_file",
                );
            }
            if !oidc.levels.contains(&oidc.required_level) {
                return invalid("identity.oidc.required_level", "must be one of levels");
            }
        }
        if self.identity.provider == IdentityProviderKind::Wallet {
            let Some(wallet) = &self.identity.wallet else {
                return invalid(
                    "identity.wallet",
                    "required when identity.provider = \"wallet\"",
                );
            };
            let url = |u: &String| u.starts_with("https://") || u.starts_with("http://");
            if wallet.trusted_issuers.is_empty() || !wallet.trusted_issuers.iter().all(url) {
                return invalid(
                    "identity.wallet.trusted_issuers",
                    "list at least one issuer, each an http(s) URL",
                );
            }
        }
        if self.mode == Mode::Production {
            if self.mail.transport == MailTransport::DevMailbox {
                return invalid(
                    "mail.transport",
                    "the development mailbox is refused in production: use smtp",
                );
            }
            if self.tsa.url == "builtin" {
                return invalid(
                    "tsa.url",
                    "the built-in development TSA is not qualified and refused in production",
                );
            }
            if self.identity.provider == IdentityProviderKind::Simulator {
                return invalid(
                    "identity.provider",
                    "the identity simulator is not qualified and refused in production: \
                     configure a real provider (oidc or wallet)",
                );
            }
            if self.hsm.so_pin.is_some() {
                return invalid(
                    "hsm.so_pin",
                    "never give the security-officer PIN to a production server",
                );
            }
        }
        Ok(())
    }

    /// The OpenID Connect client secret, from the setting or its file.
    pub fn oidc_client_secret(oidc: &OidcConfig) -> Result<String, ConfigError> {
        match (&oidc.client_secret, &oidc.client_secret_file) {
            (Some(secret), _) => Ok(secret.clone()),
            (None, Some(path)) => Ok(read(path)?.trim_end().to_owned()),
            (None, None) => Err(ConfigError::Invalid {
                setting: "identity.oidc.client_secret",
                reason: "missing".to_owned(),
            }),
        }
    }

    /// The user PIN of the HSM token, from the setting or its file.
    pub fn hsm_user_pin(&self) -> Result<String, ConfigError> {
        match (&self.hsm.user_pin, &self.hsm.user_pin_file) {
            (Some(pin), _) => Ok(pin.clone()),
            (None, Some(path)) => Ok(read(path)?.trim_end().to_owned()),
            (None, None) => Err(ConfigError::Invalid {
                setting: "hsm.user_pin",
                reason: "missing".to_owned(),
            }),
        }
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })
}

fn is_oid(text: &str) -> bool {
    let arcs: Vec<&str> = text.split('.').collect();
    arcs.len() >= 2
        && arcs
            .iter()
            .all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_env_value(value: &str) -> toml::Value {
    format!("v = {value}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_owned()))
}

fn set_path(table: &mut toml::Table, keys: &[String], value: toml::Value) -> Result<(), String> {
    match keys {
        [] => Err("empty name".to_owned()),
        [key] => {
            table.insert(key.clone(), value);
            Ok(())
        }
        [section, rest @ ..] => {
            let entry = table
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(inner) => set_path(inner, rest, value),
                _ => Err(format!("`{section}` is not a section")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_toml(
            DEFAULT_TOML,
            "test",
            env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        )
    }

    #[test]
    fn defaults_are_valid_development_settings() {
        let config = load(&[]).expect("defaults");
        assert!(config.is_development());
        assert_eq!(config.server.listen.port(), 3000);
        assert_eq!(config.policy.legal_time_zone, "Europe/Paris");
    }

    #[test]
    fn environment_overrides_sections_and_types() {
        let config = load(&[
            ("PLI_DATABASE__URL", "postgres:///pli?host=/tmp"),
            ("PLI_DATABASE__MAX_CONNECTIONS", "3"),
            ("PLI_SERVER__LISTEN", "127.0.0.1:0"),
            ("UNRELATED", "x"),
            ("PLI_CACHE", "/not/a/setting"),
        ])
        .expect("overrides");
        assert_eq!(config.database.url, "postgres:///pli?host=/tmp");
        assert_eq!(config.database.max_connections, 3);
        assert_eq!(config.server.listen.port(), 0);
    }

    #[test]
    fn production_refuses_development_components() {
        let err = load(&[("PLI_MODE", "production")]).expect_err("dev mailbox in production");
        assert!(err.to_string().contains("mail.transport"), "{err}");
        let err = load(&[
            ("PLI_MODE", "production"),
            ("PLI_MAIL__TRANSPORT", "smtp"),
            ("PLI_MAIL__SMTP_URL", "smtp://127.0.0.1:25"),
        ])
        .expect_err("builtin TSA in production");
        assert!(err.to_string().contains("tsa.url"), "{err}");
        // Issue 14: no real identity provider, no production service.
        let err = load(&[
            ("PLI_MODE", "production"),
            ("PLI_MAIL__TRANSPORT", "smtp"),
            ("PLI_MAIL__SMTP_URL", "smtp://127.0.0.1:25"),
            ("PLI_TSA__URL", "https://tsa.example"),
        ]);
        let err = err.expect_err("simulator in production");
        assert!(err.to_string().contains("identity"), "{err}");
    }

    #[test]
    fn clear_errors_for_bad_values() {
        let err = load(&[("PLI_POLICY__LEGAL_TIME_ZONE", "Mars/Olympus")]).expect_err("tz");
        assert!(err.to_string().contains("policy.legal_time_zone"), "{err}");
        let err = load(&[("PLI_SERVER__LISTEN", "nowhere")]).expect_err("listen");
        assert!(err.to_string().contains("listen"), "{err}");
        let err = load(&[("PLI_DATABASE__URL", "mysql://x")]).expect_err("db");
        assert!(err.to_string().contains("database.url"), "{err}");
        let err = load(&[("PLI_SERVER__TYPO", "1")]).expect_err("unknown key");
        assert!(err.to_string().contains("typo"), "{err}");
    }
}
