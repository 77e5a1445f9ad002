//! Verification of evidence PDFs for anyone (EVD-03, EVD-06): the `/verify` page and
//! `pli verify` both come here, so they give the same answer.

use app::types::{PartyView, VerificationCheck, VerificationReport};
use evidence::Certificate;
use evidence::verify::{Outcome, Report};

use crate::db::Db;

/// Verifies `pdf` against `trust_roots`, and `original_sha256` against the digests it
/// records; looks the evidence up in this service's journal when a database is given.
pub async fn verify(
    db: Option<&Db>,
    trust_roots: Vec<Certificate>,
    pdf: Vec<u8>,
    original_sha256: Option<[u8; 32]>,
) -> Result<(Report, Option<i64>), tokio::task::JoinError> {
    // The journal records the PDF as sealed, before any long-term update.
    let (report, sha256) = tokio::task::spawn_blocking(move || {
        let report = evidence::verify_pdf(&pdf, &trust_roots, original_sha256.as_ref());
        let sha256 = crate::ledger::sha256_hex(report.sealed(&pdf).unwrap_or(&pdf));
        (report, sha256)
    })
    .await?;
    let seq = match db {
        Some(db) => journal_seq(db, &sha256).await,
        None => None,
    };
    Ok((report, seq))
}

/// The journal position of the evidence whose PDF has this SHA-256, if recorded here.
async fn journal_seq(db: &Db, sha256: &str) -> Option<i64> {
    match crate::store::evidence::journal_seq_by_sha256(db.pool(), sha256).await {
        Ok(seq) => seq,
        Err(error) => {
            tracing::warn!(%error, "journal lookup failed");
            None
        }
    }
}

/// A time of the report in the legal time zone, for the page to put in words.
fn legal(time: Option<std::time::SystemTime>, zone: chrono_tz::Tz) -> Option<String> {
    time.map(|t| {
        let ms = chrono::DateTime::<chrono::Utc>::from(t).timestamp_millis();
        domain::time::legal_rfc3339(ms, zone)
    })
}

fn party(party: Option<&evidence::pades::Party>) -> Option<PartyView> {
    party.map(|p| PartyView {
        name: p.name.clone(),
        email: p.email.clone(),
    })
}

/// The report as the web page shows it, times in the legal time zone `zone`.
pub fn view(report: &Report, journal_seq: Option<i64>, zone: chrono_tz::Tz) -> VerificationReport {
    VerificationReport {
        valid: report.valid(),
        checks: report
            .checks
            .iter()
            .map(|check| VerificationCheck {
                code: format!("{:?}", check.id),
                passed: match check.outcome {
                    Outcome::Passed => Some(true),
                    Outcome::Failed => Some(false),
                    Outcome::NotChecked => None,
                },
                detail: check.detail.clone(),
            })
            .collect(),
        evidence_id: report.evidence_id.clone(),
        kind: report.kind.map(|k| k.code().to_owned()),
        title_fr: report.kind.map(|k| k.title_fr().to_owned()),
        title_en: report.kind.map(|k| k.title_en().to_owned()),
        event_time: legal(report.event_time, zone),
        policy_oid: report.policy_oid.clone(),
        timestamp_time: legal(report.timestamp_time, zone),
        letter_id: report.letter_id.clone(),
        sender: party(report.sender.as_ref()),
        recipient: party(report.recipient.as_ref()),
        user: party(report.user.as_ref()),
        tsa_subject: report.tsa_subject.clone(),
        signer_subject: report.signer_subject.clone(),
        digests: report
            .digests
            .iter()
            .map(|d| (d.file_name.clone(), d.hex.clone()))
            .collect(),
        original_matches: report.original_matches.clone(),
        journal_seq,
        timestamp_chain: report
            .doc_timestamps
            .iter()
            .filter_map(|stamp| Some((legal(Some(stamp.time), zone)?, stamp.tsa_subject.clone())))
            .collect(),
        verifiable_until: legal(report.verifiable_until(), zone),
    }
}

/// Whether `bytes` looks like a PDF: the `%PDF-` header within the first 1024 bytes, where
/// PDF readers look for it (ISO 32000-1, annex H.3 note 1). Anything else is not worth a
/// verification report: the user chose the wrong file.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// Parses a lowercase or uppercase hex SHA-256.
pub fn parse_sha256(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pdf_header() {
        assert!(super::is_pdf(b"%PDF-1.7\n..."));
        assert!(super::is_pdf(b"\xef\xbb\xbf%PDF-2.0"));
        assert!(!super::is_pdf(b"not a pdf"));
        assert!(!super::is_pdf(b""));
        let late = [vec![b' '; 1024], b"%PDF-1.7".to_vec()].concat();
        assert!(!super::is_pdf(&late), "header beyond the first 1024 bytes");
    }
}
