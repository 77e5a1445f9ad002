//! The development PKI — **NOT QUALIFIED**, for development and tests only.
//!
//! Three RSA-3072 key pairs in the token, labelled `dev-root`, `seal` and `dev-tsa`, and three
//! certificates issued by the `dev-root` key through [`KeySigner`] (the private keys never
//! leave the token):
//!
//! | file       | subject CN                                            | profile                                             |
//! |------------|-------------------------------------------------------|-----------------------------------------------------|
//! | `root.pem` | Pli development root CA (NOT QUALIFIED)               | self-signed CA, keyCertSign + cRLSign, 20 years     |
//! | `seal.pem` | Pli development evidence seal (NOT QUALIFIED)         | digitalSignature + nonRepudiation, emailProtection, 3 years |
//! | `tsa.pem`  | Pli development time-stamping unit (NOT QUALIFIED)    | digitalSignature + nonRepudiation, critical timeStamping, 5 years |
//!
//! The seal and TSA certificates carry where the root publishes its revocation data
//! ([`Addresses`]: a CRL distribution point, an OCSP responder and the root certificate under
//! the service's public URL), and [`DevRevocation`] makes that data: CRLs signed by the root
//! key, and OCSP responses signed by it too (the CA is its own responder). Every certificate
//! the PKI issues is also kept in `issued/<serial>.pem`, so that its OCSP responder still
//! knows a certificate that has since been re-issued.
//!
//! A qualified service uses a seal certificate from a qualified trust service provider and a
//! qualified TSA instead, and their revocation data come from that provider.

mod addresses;
mod ocsp;
mod revocation;
mod seal_keys;

pub use addresses::Addresses;
pub use revocation::{DevRevocation, Revoked};
pub use seal_keys::certificate_request;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use const_oid::db::rfc5280::{ID_CE_EXT_KEY_USAGE, ID_KP_EMAIL_PROTECTION, ID_KP_TIME_STAMPING};
use const_oid::{AssociatedOid, ObjectIdentifier};
use der::{DecodePem, Encode, EncodePem};
use rand_core::{OsRng, RngCore};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use sha2::Sha256;
use signature::Verifier;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::hsm::{Hsm, KeySigner};
use crate::{Error, Result, SHA256_WITH_RSA_ENCRYPTION, check_certificate_matches_key};

const DAY: Duration = Duration::from_secs(86_400);

/// `start` plus `years` calendar years, same month, day and time of day (29 February becomes
/// 28 February in a common year).
fn add_years(start: SystemTime, years: u16) -> Result<SystemTime> {
    let start = der::DateTime::from_system_time(start)?;
    let year = start.year() + years;
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let day = if start.month() == 2 && start.day() == 29 && !leap {
        28
    } else {
        start.day()
    };
    let end = der::DateTime::new(
        year,
        start.month(),
        day,
        start.hour(),
        start.minutes(),
        start.seconds(),
    )?;
    Ok(end.to_system_time())
}

/// One of the three certificates of the development PKI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The self-signed development root CA, key `dev-root`.
    Root,
    /// The evidence seal, key `seal`: the key that seals evidence PDFs.
    Seal,
    /// The development time-stamping unit, key `dev-tsa`.
    Tsa,
}

impl Role {
    /// All roles, root first (the order they are issued in).
    pub const ALL: [Role; 3] = [Role::Root, Role::Seal, Role::Tsa];

    /// `CKA_LABEL` of the role's key pair in the token.
    pub const fn key_label(self) -> &'static str {
        match self {
            Role::Root => "dev-root",
            Role::Seal => "seal",
            Role::Tsa => "dev-tsa",
        }
    }

    /// Name of the role's PEM file in the PKI directory.
    pub const fn file_name(self) -> &'static str {
        match self {
            Role::Root => "root.pem",
            Role::Seal => "seal.pem",
            Role::Tsa => "tsa.pem",
        }
    }

    /// The subject distinguished name, RFC 4514 string (most significant RDN last).
    const fn subject(self) -> &'static str {
        match self {
            Role::Root => "CN=Pli development root CA (NOT QUALIFIED),O=Pli (development),C=FR",
            Role::Seal => {
                "CN=Pli development evidence seal (NOT QUALIFIED),O=Pli (development),C=FR"
            }
            Role::Tsa => {
                "CN=Pli development time-stamping unit (NOT QUALIFIED),O=Pli (development),C=FR"
            }
        }
    }

    /// Validity period in calendar years.
    const fn lifetime_years(self) -> u16 {
        match self {
            Role::Root => 20,
            Role::Seal => 3,
            Role::Tsa => 5,
        }
    }

    /// The extended key usage of end-entity certificates.
    fn extended_key_usage(self) -> Option<Eku> {
        match self {
            Role::Root => None,
            // pdfsig (NSS) only trusts a document-signing certificate with emailProtection.
            // Not critical: it does not restrict what the seal may sign.
            Role::Seal => Some(Eku {
                purposes: ExtendedKeyUsage(vec![ID_KP_EMAIL_PROTECTION]),
                critical: false,
            }),
            // RFC 3161 §2.3: "The corresponding certificate MUST contain only one instance of
            // the extended key usage field extension [...] with KeyPurposeID having value:
            // id-kp-timeStamping. This extension MUST be critical."
            Role::Tsa => Some(Eku {
                purposes: ExtendedKeyUsage(vec![ID_KP_TIME_STAMPING]),
                critical: true,
            }),
        }
    }
}

/// The development PKI's certificates. Build it with [`DevPki::ensure`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevPki {
    /// The self-signed development root CA.
    pub root: Certificate,
    /// The evidence-seal certificate, issued by `root`.
    pub seal: Certificate,
    /// The time-stamping unit certificate, issued by `root`.
    pub tsa: Certificate,
    /// Where the root publishes its revocation data (in the seal and TSA certificates).
    addresses: Addresses,
    /// The directory of the PEM files and of `issued/`.
    dir: PathBuf,
}

impl DevPki {
    /// Makes sure the token holds the three development key pairs and `dir` holds
    /// `root.pem`, `seal.pem` and `tsa.pem` certifying them, the seal and TSA certificates
    /// pointing at the revocation data published under `public_url` ([`Addresses`]);
    /// idempotent.
    ///
    /// A certificate is (re)issued when its file is missing or unreadable, is not for the
    /// token's key, is not valid at `now`, or (seal and TSA) is not signed by the root key or
    /// does not carry the addresses under `public_url` (the URL or its port changed); a new
    /// root certificate also re-issues the other two. Files are replaced atomically
    /// (temporary file, then rename). Validity starts one day before `now`.
    ///
    /// Re-issuing the seal or TSA certificate for new addresses is safe and cheap (one
    /// signature by the root key): the key pair stays the same and the server identifies the
    /// seal by its key (checked against the certificate at start-up), every evidence already
    /// sealed embeds the certificate it was sealed under, which still chains to the same root
    /// key and name, and the previous certificate stays in `issued/`, where the OCSP responder
    /// keeps answering "good" for it. The root carries no address, so it is never re-issued
    /// for that reason.
    pub fn ensure(hsm: &Hsm, dir: &Path, public_url: &str, now: SystemTime) -> Result<DevPki> {
        let addresses = Addresses::new(public_url)?;
        for role in Role::ALL {
            hsm.ensure_rsa_key(role.key_label())?;
        }
        for path in [dir.to_path_buf(), dir.join(ISSUED)] {
            fs::create_dir_all(&path).map_err(|source| Error::Io { path, source })?;
        }
        let root_signer = KeySigner::new(hsm, Role::Root.key_label())?;
        let root_key = root_signer.public_key().clone();
        let not_before = now.checked_sub(DAY).unwrap_or(now);

        let stored = Usable {
            dir,
            role: Role::Root,
            key: &root_key,
            issuer_key: &root_key,
            addresses: None,
            now,
        };
        let (root, root_issued) = match stored.load()? {
            Some(root) => (root, false),
            None => {
                let root = issue(Role::Root, &root_key, &root_signer, None, not_before)?;
                store(dir, Role::Root, &root)?;
                (root, true)
            }
        };
        let root_name = root.tbs_certificate.subject.clone();
        let root_end = root.tbs_certificate.validity.not_after.to_system_time();

        let leaf = |role: Role| -> Result<Certificate> {
            let key = hsm.public_key(role.key_label())?;
            let stored = Usable {
                role,
                key: &key,
                addresses: Some(&addresses),
                ..stored
            };
            if !root_issued && let Some(cert) = stored.load()? {
                return Ok(cert);
            }
            let issuer = Some(Issuer {
                name: &root_name,
                end: root_end,
                addresses: &addresses,
            });
            let cert = issue(role, &key, &root_signer, issuer, not_before)?;
            store(dir, role, &cert)?;
            Ok(cert)
        };
        let seal = leaf(Role::Seal)?;
        let tsa = leaf(Role::Tsa)?;
        // Certificates issued before `issued/` existed join it now.
        for cert in [&root, &seal, &tsa] {
            keep_issued(dir, cert)?;
        }
        Ok(DevPki {
            root,
            seal,
            tsa,
            addresses,
            dir: dir.to_path_buf(),
        })
    }

    /// Where the root publishes its revocation data.
    pub fn addresses(&self) -> &Addresses {
        &self.addresses
    }

    /// Whether the root has issued a certificate with this serial number: the current ones
    /// and every earlier one kept in `issued/`.
    pub fn has_issued(&self, serial: &SerialNumber) -> bool {
        [&self.root, &self.seal, &self.tsa]
            .iter()
            .any(|cert| &cert.tbs_certificate.serial_number == serial)
            || self.dir.join(ISSUED).join(issued_file(serial)).is_file()
    }

    /// The certificate of `role`.
    pub fn certificate(&self, role: Role) -> &Certificate {
        match role {
            Role::Root => &self.root,
            Role::Seal => &self.seal,
            Role::Tsa => &self.tsa,
        }
    }

    /// The DER encoding of `role`'s certificate.
    pub fn der(&self, role: Role) -> Result<Vec<u8>> {
        Ok(self.certificate(role).to_der()?)
    }

    /// The PEM encoding (`-----BEGIN CERTIFICATE-----`, LF line endings) of `role`'s certificate.
    pub fn pem(&self, role: Role) -> Result<String> {
        Ok(self.certificate(role).to_pem(der::pem::LineEnding::LF)?)
    }
}

/// The sub-directory of the PKI directory that keeps every certificate issued, one
/// `<serial in hex>.pem` each.
const ISSUED: &str = "issued";

fn issued_file(serial: &SerialNumber) -> String {
    let hex: String = serial
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    format!("{hex}.pem")
}

/// What a stored certificate must be to be kept.
#[derive(Clone, Copy)]
struct Usable<'a> {
    dir: &'a Path,
    role: Role,
    /// The token key it must certify.
    key: &'a RsaPublicKey,
    /// The root key it must be signed by.
    issuer_key: &'a RsaPublicKey,
    /// The addresses it must carry (seal and TSA).
    addresses: Option<&'a Addresses>,
    /// When it must be valid.
    now: SystemTime,
}

impl Usable<'_> {
    /// The certificate in `dir` for `role`, if it exists and is still right; `None` means it
    /// must be (re)issued.
    fn load(&self) -> Result<Option<Certificate>> {
        let path = self.dir.join(self.role.file_name());
        let pem = match fs::read(&path) {
            Ok(pem) => pem,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Io { path, source }),
        };
        let reason = match Certificate::from_pem(&pem) {
            Err(e) => format!("unreadable: {e}"),
            Ok(cert) => match self.unusable_because(&cert) {
                Some(reason) => reason,
                None => return Ok(Some(cert)),
            },
        };
        tracing::warn!(file = %path.display(), %reason, "re-issuing a development certificate");
        Ok(None)
    }

    /// Why `cert` cannot be kept, if it cannot.
    fn unusable_because(&self, cert: &Certificate) -> Option<String> {
        let validity = &cert.tbs_certificate.validity;
        if let Err(e) = check_certificate_matches_key(cert, self.key, self.role.key_label()) {
            Some(e.to_string())
        } else if !signed_by(cert, self.issuer_key) {
            Some("not signed by the development root key".to_owned())
        } else if self.now < validity.not_before.to_system_time()
            || self.now > validity.not_after.to_system_time()
        {
            Some("not valid now".to_owned())
        } else if let Some(addresses) = self.addresses
            && !addresses.carried_by(cert)
        {
            Some(format!(
                "its revocation addresses are not {} and {}",
                addresses.crl(),
                addresses.ocsp()
            ))
        } else {
            None
        }
    }
}

/// Whether `cert` carries a valid sha256WithRSAEncryption signature by `issuer_key`.
fn signed_by(cert: &Certificate, issuer_key: &RsaPublicKey) -> bool {
    if cert.signature_algorithm.oid != SHA256_WITH_RSA_ENCRYPTION {
        return false;
    }
    let (Ok(tbs), Some(bytes)) = (cert.tbs_certificate.to_der(), cert.signature.as_bytes()) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(bytes) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(issuer_key.clone())
        .verify(&tbs, &signature)
        .is_ok()
}

/// The issuer of a seal or TSA certificate: the root.
#[derive(Clone, Copy)]
struct Issuer<'a> {
    name: &'a Name,
    /// The end of the root's validity: an issued certificate never outlives its issuer.
    end: SystemTime,
    /// Where the root publishes its revocation data.
    addresses: &'a Addresses,
}

/// Issues `role`'s certificate for `key`, signed in the token by `signer` (the root key).
/// `issuer` is `None` for the self-signed root.
fn issue(
    role: Role,
    key: &RsaPublicKey,
    signer: &KeySigner,
    issuer: Option<Issuer<'_>>,
    not_before: SystemTime,
) -> Result<Certificate> {
    let issue_error = |source| Error::Issue {
        subject: role.subject().to_owned(),
        source,
    };
    let subject = Name::from_str(role.subject())?;
    let profile = match issuer {
        // x509-cert adds SKI, basicConstraints cA (critical), keyUsage keyCertSign + cRLSign
        // (critical).
        None => Profile::Root,
        // x509-cert adds SKI, AKI (from the issuer's key), basicConstraints (critical, not a
        // CA), keyUsage digitalSignature + nonRepudiation (critical).
        Some(issuer) => Profile::Leaf {
            issuer: issuer.name.clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
    };
    let mut not_after = add_years(not_before, role.lifetime_years())?;
    if let Some(issuer) = issuer {
        not_after = not_after.min(issuer.end);
    }
    let validity = Validity {
        not_before: Time::try_from(not_before)?,
        not_after: Time::try_from(not_after)?,
    };
    let spki = SubjectPublicKeyInfoOwned::from_key(key.clone())
        .map_err(|e| issue_error(x509_cert::builder::Error::from(e)))?;
    let mut builder =
        CertificateBuilder::new(profile, random_serial()?, validity, subject, spki, signer)
            .map_err(issue_error)?;
    if let Some(eku) = role.extended_key_usage() {
        builder.add_extension(&eku).map_err(issue_error)?;
    }
    if let Some(issuer) = issuer {
        let addresses = issuer.addresses;
        builder
            .add_extension(&addresses.crl_distribution_points()?)
            .map_err(issue_error)?;
        builder
            .add_extension(&addresses.authority_info_access()?)
            .map_err(issue_error)?;
    }
    let cert = builder.build::<Signature>().map_err(issue_error)?;
    tracing::info!(
        subject = role.subject(),
        "issued a development certificate (NOT QUALIFIED)"
    );
    Ok(cert)
}

/// A random positive serial number of 16 bytes (RFC 5280 §4.1.2.2: "The serial number MUST be
/// a positive integer [...] Conforming CAs MUST NOT use serialNumber values longer than 20
/// octets"); the first byte in 0x01..=0x7f keeps the DER encoding exactly 16 bytes.
fn random_serial() -> Result<SerialNumber> {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes[0] = bytes[0] % 0x7f + 1;
    Ok(SerialNumber::new(&bytes)?)
}

/// Writes `role`'s PEM file atomically, after keeping a copy in `issued/`.
fn store(dir: &Path, role: Role, cert: &Certificate) -> Result<()> {
    keep_issued(dir, cert)?;
    write_atomically(dir, role.file_name(), cert)
}

/// Keeps `cert` in `issued/`, unless it is there already.
fn keep_issued(dir: &Path, cert: &Certificate) -> Result<()> {
    let name = issued_file(&cert.tbs_certificate.serial_number);
    let issued = dir.join(ISSUED);
    if issued.join(&name).is_file() {
        return Ok(());
    }
    write_atomically(&issued, &name, cert)
}

/// Writes `cert` as `dir/name` atomically: a temporary file in the same directory, synced,
/// then renamed over the old one. The temporary name is unique to the call, so two threads
/// of a process (two servers started by one test binary) never write the same one.
fn write_atomically(dir: &Path, name: &str, cert: &Certificate) -> Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let pem = cert.to_pem(der::pem::LineEnding::LF)?;
    let path = dir.join(name);
    let tmp: PathBuf = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let mut file = fs::File::create(&tmp).map_err(io_error(&tmp))?;
    file.write_all(pem.as_bytes()).map_err(io_error(&tmp))?;
    file.sync_all().map_err(io_error(&tmp))?;
    drop(file);
    fs::rename(&tmp, &path).map_err(io_error(&path))
}

/// RFC 5280 §4.2.1.12 extended key usage with a chosen criticality (x509-cert 0.2 always marks
/// `ExtendedKeyUsage` critical unless it contains anyExtendedKeyUsage).
///
/// ```text
/// ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
/// ```
struct Eku {
    purposes: ExtendedKeyUsage,
    critical: bool,
}

impl AssociatedOid for Eku {
    const OID: ObjectIdentifier = ID_CE_EXT_KEY_USAGE;
}

impl Encode for Eku {
    fn encoded_len(&self) -> der::Result<der::Length> {
        self.purposes.encoded_len()
    }

    fn encode(&self, writer: &mut impl der::Writer) -> der::Result<()> {
        self.purposes.encode(writer)
    }
}

impl AsExtension for Eku {
    fn critical(&self, _subject: &Name, _extensions: &[Extension]) -> bool {
        self.critical
    }
}
