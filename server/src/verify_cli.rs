//! `pli verify` and `pli log verify`: the relying party's commands. They check files alone
//! (evidence PDFs, dossiers, signed tree heads, proofs), with the service's published roots or
//! those given; the journal is looked up only when this machine has the service's database.

use std::path::PathBuf;

use server::StartError;
use server::config::Config;
use server::db::Db;
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

pub async fn verify_evidence(
    config: Config,
    evidence_path: PathBuf,
    original: Option<PathBuf>,
    trust: Vec<PathBuf>,
    log: Option<(PathBuf, PathBuf)>,
) -> Result<(), StartError> {
    match verify_evidence_inner(&config, &evidence_path, original, trust, log).await {
        Ok(true) => Ok(()),
        Ok(false) => std::process::exit(1),
        Err(error) => {
            eprintln!("pli: {error}");
            std::process::exit(2);
        }
    }
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, VerifyCliError> {
    std::fs::read(path).map_err(|source| VerifyCliError::Read {
        path: path.to_owned(),
        source,
    })
}

/// The trusted roots: those given, else the service's published roots.
fn trust_roots(
    config: &Config,
    trust: Vec<PathBuf>,
) -> Result<Vec<evidence::Certificate>, VerifyCliError> {
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
    Ok(roots)
}

/// The tree head a signed tree head PDF states, or why it cannot be used.
fn signed_head(
    path: &std::path::Path,
    roots: &[evidence::Certificate],
) -> Result<Result<server::transparency::TreeHead, String>, VerifyCliError> {
    let pdf = read(path)?;
    let report = evidence::verify_pdf(&pdf, roots, None);
    Ok(server::transparency::proof::signed_head_of(&report)
        .map_err(|reason| format!("{}: {reason}", path.display())))
}

/// `pli log verify OLD NEW --proof PROOF`.
pub fn verify_log(
    config: Config,
    old: PathBuf,
    new: PathBuf,
    proof: Option<PathBuf>,
    trust: Vec<PathBuf>,
) -> Result<(), StartError> {
    use server::transparency::proof::{CONSISTENCY_FORMAT, ConsistencyDoc, check_consistency};
    let outcome = (|| -> Result<Result<String, String>, VerifyCliError> {
        let roots = trust_roots(&config, trust)?;
        let (old, new) = match (signed_head(&old, &roots)?, signed_head(&new, &roots)?) {
            (Ok(old), Ok(new)) => (old, new),
            (Err(reason), _) | (_, Err(reason)) => return Ok(Err(reason)),
        };
        let doc = match &proof {
            Some(path) => match serde_json::from_slice::<ConsistencyDoc>(&read(path)?) {
                Ok(doc) if doc.format == CONSISTENCY_FORMAT => doc,
                _ => return Ok(Err(format!("{}: not a consistency proof", path.display()))),
            },
            // Two heads of the same size need no proof: they must be equal.
            None => ConsistencyDoc {
                format: CONSISTENCY_FORMAT.to_owned(),
                from: old.size,
                to: new.size,
                proof: Vec::new(),
            },
        };
        Ok(check_consistency(&old, &new, &doc))
    })();
    match outcome {
        Ok(Ok(detail)) => {
            println!("Consistency: {detail}\nRESULT: CONSISTENT");
            Ok(())
        }
        Ok(Err(reason)) => {
            println!("Consistency: {reason}\nRESULT: NOT CONSISTENT");
            std::process::exit(1)
        }
        Err(error) => {
            eprintln!("pli: {error}");
            std::process::exit(2)
        }
    }
}

async fn verify_evidence_inner(
    config: &Config,
    evidence_path: &std::path::Path,
    original: Option<PathBuf>,
    trust: Vec<PathBuf>,
    log: Option<(PathBuf, PathBuf)>,
) -> Result<bool, VerifyCliError> {
    let pdf = read(evidence_path)?;
    let dossier = pdf.starts_with(b"PK\x03\x04");
    let roots = trust_roots(config, trust)?;
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
        if let Some(log) = &report.log {
            match &log.head {
                Ok(head) => println!("OK  transparency log head: {head}"),
                Err(reason) => println!("BAD transparency log head: {reason}"),
            }
            for (file, check) in &log.proofs {
                match check {
                    Ok(detail) => println!("OK  {file} is in the log: {detail}"),
                    Err(reason) => println!("BAD {file} in the log: {reason}"),
                }
            }
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
    let in_log = match &log {
        Some((head, proof)) => Some((signed_head(head, &roots)?, read(proof)?, pdf.clone())),
        None => None,
    };
    let (report, seq) =
        server::sealing::verification::verify(db.as_ref().ok(), roots, pdf, original_sha256)
            .await?;
    println!("{report}");
    // The transparency log, offline: the proof from this evidence to the signed head given.
    let log_failed = match in_log {
        None => false,
        Some((head, proof, pdf)) => {
            let id = report.evidence_id.clone().unwrap_or_default();
            let checked = head.and_then(|head| {
                let doc = server::transparency::proof::find_inclusion(&proof, &id)?;
                server::transparency::proof::check_inclusion(&report, &pdf, &head, &doc)
            });
            match &checked {
                Ok(detail) => println!("Transparency log: included, {detail}"),
                Err(reason) => println!("Transparency log: NOT shown included: {reason}"),
            }
            checked.is_err()
        }
    };
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
        (true, false) if log_failed => {
            "RESULT: INVALID (the evidence is valid, but not shown in the transparency log)"
        }
        (true, false) => "RESULT: VALID",
        (true, true) => {
            "RESULT: INVALID (the evidence is valid, but the --file given is not one it records)"
        }
        (false, _) => "RESULT: INVALID",
    };
    println!("{verdict}");
    Ok(report.valid() && !original_mismatch && !log_failed)
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
