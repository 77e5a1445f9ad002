//! The PKCS#11 boundary: the only module that talks to the token.
//!
//! Every private key the service uses (the evidence seal, the development TSA and the
//! development root CA) is generated **inside** the token and marked sensitive and
//! non-extractable; this module hands out signatures and public keys, never key material.
//!
//! PKCS#11 (session example): "exactly one call to C_Initialize should be made for each
//! application (as opposed to one call for every thread, for example)" — so the library is
//! loaded and initialised once per process and module path, and shared by every [`Hsm`].
//!
//! PKCS#11 ("Capabilities of sessions"): "an application should never make multiple
//! simultaneous function calls to Cryptoki which use a common session" — a cryptoki
//! [`Session`] is `Send` but not `Sync`. An [`Hsm`] therefore keeps a small pool of logged-in
//! sessions behind a mutex: each operation takes one session out of the pool (opening and
//! logging in a new one when the pool is empty), uses it on the calling thread, and puts it
//! back. All methods block: from async code call them through `tokio::task::spawn_blocking`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use rsa::{BigUint, RsaPublicKey};

use crate::{Error, Result};

mod signer;
pub use signer::KeySigner;

/// Size in bits of every RSA key this service generates.
pub const RSA_KEY_BITS: u64 = 3072;

/// RSA public exponent F4 = 65537, big-endian.
const PUBLIC_EXPONENT: [u8; 3] = [0x01, 0x00, 0x01];

/// `sha256WithRSAEncryption`, the token's signature algorithm (see the crate root).
pub use crate::SHA256_WITH_RSA_ENCRYPTION;

/// Where the token is and how to log in to it.
#[derive(Clone)]
pub struct HsmConfig {
    /// Path of the PKCS#11 module, e.g. `/usr/lib/softhsm/libsofthsm2.so`.
    pub module: PathBuf,
    /// `CK_TOKEN_INFO.label` of the token (at most 32 bytes of UTF-8).
    pub token_label: String,
    /// The normal user's PIN (`CKU_USER`), used for every operation.
    pub user_pin: String,
    /// The security officer's PIN (`CKU_SO`), only needed to initialise a new token.
    pub so_pin: Option<String>,
}

impl fmt::Debug for HsmConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HsmConfig")
            .field("module", &self.module)
            .field("token_label", &self.token_label)
            .field("user_pin", &"<redacted>")
            .field("so_pin", &self.so_pin.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// What [`Hsm::ensure_rsa_key`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOutcome {
    /// A new key pair was generated inside the token.
    Created,
    /// A private key with that label was already in the token; nothing was changed.
    Existing,
}

/// The protection attributes of a private key, as the token reports them
/// (PKCS#11 v2.40 §4.9, Table 35, "Private Key Object Attributes").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyProtection {
    /// `CKA_SENSITIVE`: "CK_TRUE if key is sensitive" — its value cannot be revealed in plaintext.
    pub sensitive: bool,
    /// `CKA_EXTRACTABLE`: "CK_TRUE if key is extractable and can be wrapped".
    pub extractable: bool,
    /// `CKA_ALWAYS_SENSITIVE`: "CK_TRUE if key has always had the CKA_SENSITIVE attribute set to CK_TRUE".
    pub always_sensitive: bool,
    /// `CKA_NEVER_EXTRACTABLE`: "CK_TRUE if key has never had the CKA_EXTRACTABLE attribute set to CK_TRUE".
    pub never_extractable: bool,
    /// `CKA_LOCAL`: "CK_TRUE only if key was [...] generated locally (i.e., on the token)".
    pub local: bool,
}

/// Libraries loaded and `C_Initialize`d in this process, by module path.
///
/// PKCS#11 is process-global state: the same module must not be initialised twice.
static LIBRARIES: Mutex<Vec<(PathBuf, Pkcs11)>> = Mutex::new(Vec::new());

/// Serialises token initialisation in this process (two `C_InitToken` on free slots for the
/// same label would create two tokens).
static TOKEN_INIT: Mutex<()> = Mutex::new(());

/// Locks a mutex whose protected data stays consistent even if a holder panicked.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Loads and initialises `module` once per process; later calls return the same context.
fn library(module: &Path) -> Result<Pkcs11> {
    let mut libraries = lock(&LIBRARIES);
    if let Some((_, pkcs11)) = libraries.iter().find(|(path, _)| path == module) {
        return Ok(pkcs11.clone());
    }
    let load_error = |source| Error::LoadModule {
        module: module.to_path_buf(),
        source,
    };
    let pkcs11 = Pkcs11::new(module).map_err(load_error)?;
    match pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        // Already initialised by another context of the same module in this process: the
        // module is shared, which is what we want.
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(source) => return Err(load_error(source)),
    }
    libraries.push((module.to_path_buf(), pkcs11.clone()));
    Ok(pkcs11)
}

/// Wraps a cryptoki error with the operation that failed.
fn ck(operation: &'static str) -> impl FnOnce(CkError) -> Error {
    move |source| Error::Pkcs11 { operation, source }
}

/// The slot holding an initialised token with this label, if any.
///
/// SoftHSM re-reads its token directory and token files on every slot lookup: a lookup that
/// races with another thread or process initialising a token or writing objects can see a
/// half-written token and fail with `CKR_GENERAL_ERROR` (or a slot renumbered under it). Such
/// failures are transient, so the whole lookup is retried a few times before giving up.
fn find_token(pkcs11: &Pkcs11, label: &str) -> Result<Option<Slot>> {
    const ATTEMPTS: u32 = 5;
    let mut attempt = 1;
    loop {
        match find_token_once(pkcs11, label) {
            Err(Error::Pkcs11 {
                source:
                    CkError::Pkcs11(
                        RvError::GeneralError | RvError::SlotIdInvalid | RvError::TokenNotPresent,
                        _,
                    ),
                ..
            }) if attempt < ATTEMPTS => {
                std::thread::sleep(std::time::Duration::from_millis(20 * u64::from(attempt)));
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

fn find_token_once(pkcs11: &Pkcs11, label: &str) -> Result<Option<Slot>> {
    for slot in pkcs11.get_slots_with_token().map_err(ck("C_GetSlotList"))? {
        let info = pkcs11.get_token_info(slot).map_err(ck("C_GetTokenInfo"))?;
        if info.token_initialized() && info.label() == label {
            return Ok(Some(slot));
        }
    }
    Ok(None)
}

/// `CK_TOKEN_INFO.label` is 32 bytes, blank padded: longer labels would be silently cut.
fn check_token_label(label: &str) -> Result<()> {
    if label.is_empty() || label.len() > 32 || label.ends_with(' ') {
        return Err(Error::InvalidTokenLabel {
            label: label.to_owned(),
        });
    }
    Ok(())
}

/// A handle on one token through one PKCS#11 module: cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Hsm {
    inner: Arc<Inner>,
}

struct Inner {
    pkcs11: Pkcs11,
    slot: Slot,
    token_label: String,
    user_pin: AuthPin,
    /// Idle, logged-in sessions (a `Session` is `Send`, so the mutex makes them shareable).
    idle: Mutex<Vec<Pooled>>,
    /// Serialises `ensure_rsa_key` in this process so that two callers do not both generate.
    keygen: Mutex<()>,
}

impl fmt::Debug for Hsm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hsm")
            .field("token_label", &self.inner.token_label)
            .field("slot", &self.inner.slot)
            .finish_non_exhaustive()
    }
}

/// `Hsm` is shared by many tokio tasks: keep it `Send + Sync` at compile time.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Hsm>();
    assert_send_sync::<KeySigner>();
};

impl Hsm {
    /// How many idle logged-in sessions an [`Hsm`] keeps for reuse; more may be open while
    /// busy. Callers that sign concurrently bound themselves to it.
    pub const MAX_IDLE_SESSIONS: usize = 16;

    /// Opens the token labelled `cfg.token_label` and checks that the user PIN logs in.
    pub fn open(cfg: &HsmConfig) -> Result<Self> {
        check_token_label(&cfg.token_label)?;
        let pkcs11 = library(&cfg.module)?;
        let slot = find_token(&pkcs11, &cfg.token_label)?.ok_or_else(|| Error::TokenNotFound {
            label: cfg.token_label.clone(),
        })?;
        let hsm = Self {
            inner: Arc::new(Inner {
                pkcs11,
                slot,
                token_label: cfg.token_label.clone(),
                user_pin: AuthPin::from(cfg.user_pin.clone()),
                idle: Mutex::new(Vec::new()),
                keygen: Mutex::new(()),
            }),
        };
        // Fail at start-up, not at the first evidence, when the PIN is wrong.
        hsm.with_session(|_| Ok(()))?;
        Ok(hsm)
    }

    /// For development and tests: initialises a token labelled `cfg.token_label` on a free
    /// (uninitialised) slot with `cfg.so_pin`, then sets `cfg.user_pin`, unless such a token
    /// already exists. Returns `true` if it created the token.
    ///
    /// A production HSM's token is provisioned by its operators, not by this service.
    pub fn init_token_if_missing(cfg: &HsmConfig) -> Result<bool> {
        check_token_label(&cfg.token_label)?;
        let pkcs11 = library(&cfg.module)?;
        let _guard = lock(&TOKEN_INIT);
        if find_token(&pkcs11, &cfg.token_label)?.is_some() {
            return Ok(false);
        }
        let so_pin = cfg.so_pin.as_ref().ok_or_else(|| Error::SoPinRequired {
            label: cfg.token_label.clone(),
        })?;
        let so_pin = AuthPin::from(so_pin.clone());

        let mut free = None;
        for slot in pkcs11.get_slots_with_token().map_err(ck("C_GetSlotList"))? {
            let info = pkcs11.get_token_info(slot).map_err(ck("C_GetTokenInfo"))?;
            if !info.token_initialized() {
                free = Some(slot);
                break;
            }
        }
        let free = free.ok_or(Error::NoFreeSlot)?;
        pkcs11
            .init_token(free, &so_pin, &cfg.token_label)
            .map_err(ck("C_InitToken"))?;

        // SoftHSM renumbers a slot once its token is initialised: look the token up again.
        let slot = find_token(&pkcs11, &cfg.token_label)?.ok_or_else(|| Error::TokenNotFound {
            label: cfg.token_label.clone(),
        })?;
        let session = pkcs11.open_rw_session(slot).map_err(ck("C_OpenSession"))?;
        session
            .login(UserType::So, Some(&so_pin))
            .map_err(ck("C_Login(SO)"))?;
        session
            .init_pin(&AuthPin::from(cfg.user_pin.clone()))
            .map_err(ck("C_InitPIN"))?;
        session.logout().map_err(ck("C_Logout"))?;
        tracing::info!(token = %cfg.token_label, "initialised a new PKCS#11 token");
        Ok(true)
    }

    /// The label of the token this handle uses.
    pub fn token_label(&self) -> &str {
        &self.inner.token_label
    }

    /// Generates an RSA-3072 key pair **inside** the token (`CKM_RSA_PKCS_KEY_PAIR_GEN`) unless
    /// a private key labelled `label` already exists.
    ///
    /// Both objects are token objects with `CKA_LABEL` = `label` and `CKA_ID` = the label's
    /// UTF-8 bytes. The private key is `CKA_PRIVATE`, `CKA_SENSITIVE`, not `CKA_EXTRACTABLE`,
    /// and may only sign; the public key may only verify.
    pub fn ensure_rsa_key(&self, label: &str) -> Result<KeyOutcome> {
        let _guard = lock(&self.inner.keygen);
        self.with_session(|session| {
            if find_key(session, ObjectClass::PRIVATE_KEY, label)?.is_some() {
                // A private key without its public half would be unusable for certificates.
                find_key(session, ObjectClass::PUBLIC_KEY, label)?.ok_or_else(|| {
                    Error::KeyNotFound {
                        label: label.to_owned(),
                        class: "public",
                    }
                })?;
                return Ok(KeyOutcome::Existing);
            }
            let id = label.as_bytes().to_vec();
            let common = [
                Attribute::Token(true),
                Attribute::KeyType(KeyType::RSA),
                Attribute::Id(id),
                Attribute::Label(label.as_bytes().to_vec()),
            ];
            let mut public = common.to_vec();
            public.extend([
                Attribute::Private(false),
                Attribute::Verify(true),
                Attribute::Encrypt(false),
                Attribute::Wrap(false),
                Attribute::ModulusBits(RSA_KEY_BITS.into()),
                Attribute::PublicExponent(PUBLIC_EXPONENT.to_vec()),
            ]);
            let mut private = common.to_vec();
            private.extend([
                Attribute::Private(true),
                Attribute::Sensitive(true),
                Attribute::Extractable(false),
                Attribute::Sign(true),
                Attribute::Decrypt(false),
                Attribute::Unwrap(false),
                Attribute::Derive(false),
            ]);
            session
                .generate_key_pair(&Mechanism::RsaPkcsKeyPairGen, &public, &private)
                .map_err(ck("C_GenerateKeyPair"))?;
            tracing::info!(token = %self.inner.token_label, key = label, "generated an RSA-3072 key pair in the token");
            Ok(KeyOutcome::Created)
        })
    }

    /// The public half of key pair `label`, from `CKA_MODULUS` and `CKA_PUBLIC_EXPONENT` of the
    /// public key object.
    pub fn public_key(&self, label: &str) -> Result<RsaPublicKey> {
        self.with_session(|session| {
            let handle = require_key(session, ObjectClass::PUBLIC_KEY, label)?;
            let attributes = session
                .get_attributes(
                    handle,
                    &[AttributeType::Modulus, AttributeType::PublicExponent],
                )
                .map_err(ck("C_GetAttributeValue"))?;
            let (mut modulus, mut exponent) = (None, None);
            for attribute in attributes {
                match attribute {
                    Attribute::Modulus(n) => modulus = Some(BigUint::from_bytes_be(&n)),
                    Attribute::PublicExponent(e) => exponent = Some(BigUint::from_bytes_be(&e)),
                    _ => {}
                }
            }
            match (modulus, exponent) {
                (Some(n), Some(e)) => RsaPublicKey::new(n, e).map_err(|source| Error::PublicKey {
                    label: label.to_owned(),
                    source,
                }),
                _ => Err(Error::KeyNotFound {
                    label: label.to_owned(),
                    class: "RSA public",
                }),
            }
        })
    }

    /// The protection attributes of private key `label` (to check at start-up that the seal
    /// key really cannot leave the token).
    pub fn key_protection(&self, label: &str) -> Result<KeyProtection> {
        self.with_session(|session| {
            let handle = require_key(session, ObjectClass::PRIVATE_KEY, label)?;
            let attributes = session
                .get_attributes(
                    handle,
                    &[
                        AttributeType::Sensitive,
                        AttributeType::Extractable,
                        AttributeType::AlwaysSensitive,
                        AttributeType::NeverExtractable,
                        AttributeType::Local,
                    ],
                )
                .map_err(ck("C_GetAttributeValue"))?;
            // Absent attributes are reported as the unsafe value.
            let mut protection = KeyProtection {
                sensitive: false,
                extractable: true,
                always_sensitive: false,
                never_extractable: false,
                local: false,
            };
            for attribute in attributes {
                match attribute {
                    Attribute::Sensitive(v) => protection.sensitive = v,
                    Attribute::Extractable(v) => protection.extractable = v,
                    Attribute::AlwaysSensitive(v) => protection.always_sensitive = v,
                    Attribute::NeverExtractable(v) => protection.never_extractable = v,
                    Attribute::Local(v) => protection.local = v,
                    _ => {}
                }
            }
            Ok(protection)
        })
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `data` (RFC 8017 §8.2), computed by the token with
    /// `CKM_SHA256_RSA_PKCS`: the token hashes `data` itself. Returns the signature bytes
    /// (as long as the modulus).
    pub fn sign_sha256_rsa(&self, label: &str, data: &[u8]) -> Result<Vec<u8>> {
        self.with_pooled(|pooled| {
            pooled.with_key(ObjectClass::PRIVATE_KEY, label, "C_Sign", |session, key| {
                session.sign(&Mechanism::Sha256RsaPkcs, key, data)
            })
        })
    }

    /// Runs `operation` on a logged-in session taken from the pool, then returns it to the
    /// pool. A session whose operation failed is closed rather than reused.
    fn with_session<T>(&self, operation: impl FnOnce(&Session) -> Result<T>) -> Result<T> {
        self.with_pooled(|pooled| operation(&pooled.session))
    }

    /// [`Self::with_session`], with the session's cache of key handles.
    fn with_pooled<T>(&self, operation: impl FnOnce(&mut Pooled) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.inner.idle).pop();
        let mut pooled = match pooled {
            Some(pooled) => pooled,
            None => Pooled {
                session: self.open_session()?,
                keys: Vec::new(),
            },
        };
        let result = operation(&mut pooled);
        if result.is_ok() {
            let mut idle = lock(&self.inner.idle);
            if idle.len() < Self::MAX_IDLE_SESSIONS {
                idle.push(pooled);
            }
        }
        result
    }

    /// Opens a read-write session and logs the user in.
    ///
    /// In PKCS#11 the login state belongs to the application, not to one session: all its
    /// sessions with the token are logged in together (and logged out when the last one
    /// closes), so `CKR_USER_ALREADY_LOGGED_IN` means this session is ready too.
    fn open_session(&self) -> Result<Session> {
        let session = self
            .inner
            .pkcs11
            .open_rw_session(self.inner.slot)
            .map_err(ck("C_OpenSession"))?;
        match session.login(UserType::User, Some(&self.inner.user_pin)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(session),
            Err(CkError::Pkcs11(RvError::PinIncorrect, _)) => Err(Error::WrongPin {
                label: self.inner.token_label.clone(),
            }),
            Err(source) => Err(ck("C_Login")(source)),
        }
    }
}

/// A pooled session and the key handles it has looked up.
///
/// PKCS#11 (v2.40 §2.4, "Objects"): a session that can use a handle to access an object
/// "will continue to be able to use that handle to access that object as long as the session
/// continues to exist, the object continues to exist, and the object continues to be
/// accessible to the session". Looking a key up by label is a `C_FindObjects` walk over the
/// token's objects (SoftHSM re-reads their files under a lock, the one contended lock of a
/// two-core send): once per session and key is enough.
struct Pooled {
    session: Session,
    keys: Vec<(ObjectClass, String, ObjectHandle)>,
}

impl Pooled {
    /// Runs `operation` (PKCS#11 function `function`) with the handle of key `label` of
    /// `class`. A cached handle the token no longer knows (the key was destroyed, perhaps
    /// re-created) is looked up again once.
    fn with_key<T>(
        &mut self,
        class: ObjectClass,
        label: &str,
        function: &'static str,
        operation: impl Fn(&Session, ObjectHandle) -> cryptoki::error::Result<T>,
    ) -> Result<T> {
        let cached = self
            .keys
            .iter()
            .find(|(c, l, _)| *c == class && l == label)
            .map(|(_, _, handle)| *handle);
        let handle = match cached {
            Some(handle) => handle,
            None => self.look_up(class, label)?,
        };
        match operation(&self.session, handle) {
            Err(CkError::Pkcs11(RvError::KeyHandleInvalid | RvError::ObjectHandleInvalid, _))
                if cached.is_some() =>
            {
                self.keys.clear();
                let handle = self.look_up(class, label)?;
                operation(&self.session, handle).map_err(ck(function))
            }
            result => result.map_err(ck(function)),
        }
    }

    fn look_up(&mut self, class: ObjectClass, label: &str) -> Result<ObjectHandle> {
        let handle = require_key(&self.session, class, label)?;
        self.keys.push((class, label.to_owned(), handle));
        Ok(handle)
    }
}

/// The RSA key object of `class` labelled `label`, if there is exactly one.
fn find_key(session: &Session, class: ObjectClass, label: &str) -> Result<Option<ObjectHandle>> {
    let found = session
        .find_objects(&[
            Attribute::Class(class),
            Attribute::KeyType(KeyType::RSA),
            Attribute::Label(label.as_bytes().to_vec()),
        ])
        .map_err(ck("C_FindObjects"))?;
    match found.as_slice() {
        [] => Ok(None),
        [handle] => Ok(Some(*handle)),
        _ => Err(Error::DuplicateKey {
            label: label.to_owned(),
        }),
    }
}

/// Like [`find_key`], but a missing key is an error.
fn require_key(session: &Session, class: ObjectClass, label: &str) -> Result<ObjectHandle> {
    find_key(session, class, label)?.ok_or_else(|| Error::KeyNotFound {
        label: label.to_owned(),
        class: if class == ObjectClass::PRIVATE_KEY {
            "private"
        } else {
            "public"
        },
    })
}
