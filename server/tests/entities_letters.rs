//! Letters and legal entities (issue 13; policy §4.7, §6.2): a letter sent for a company by
//! its delegate names the company in its deposit and summary evidences, and its dossier
//! carries the evidences that let the delegate act for it (the extract's and documents'
//! uploads, the power-of-attorney verification, the representative link), checked whole by
//! `pli verify`.

mod common;

use app::error::AppError;
use common::entities::{checker, delegate};
use common::flows::{contact, draft};
use common::records::{assert_valid_evidence, evidence_kinds, letter_pdf, pli_verify};
use common::{Backend, spawn_app};

on_both_databases!(a_delegate_sends_for_the_company_with_its_evidences,);

async fn a_delegate_sends_for_the_company_with_its_evidences(backend: Backend) {
    let app = spawn_app(backend).await;
    let vera = checker(&app).await;
    let (eve, member) = delegate(&app, &vera).await;
    let bob = contact(
        &app,
        &eve,
        "bob@example.org",
        "Bob Durand",
        Some("Durand SA"),
        None,
    )
    .await;
    let id = draft(
        &app,
        &eve,
        "Mise en demeure",
        &[&bob],
        &[("mise-en-demeure.pdf", b"%PDF-1.7 lettre".to_vec())],
    )
    .await;
    // Only a verified request of the sender's own.
    let stranger = eve
        .call(&app, "letter_send", &[("id", &id), ("for_company", "nope")])
        .await;
    assert_eq!(stranger.err(), AppError::NotFound);
    let sent: app::letters::SentLetter = eve
        .call(
            &app,
            "letter_send",
            &[("id", &id), ("for_company", &member.id)],
        )
        .await
        .ok();
    let transaction = sent.transactions[0].id.clone();
    for kind in ["Deposit", "LetterSummary"] {
        let report = assert_valid_evidence(&app, &letter_pdf(&app, &transaction, kind).await);
        let text = format!("{report:?}");
        assert!(
            text.contains("Filiale SAS") && text.contains("RCS 732 829 320"),
            "{text}"
        );
    }
    assert_eq!(
        evidence_kinds(&app, &transaction).await[..2],
        ["Deposit", "LetterSummary"]
    );

    // The sender's dossier carries the company's evidences, and verifies whole.
    let zip = eve
        .get(&app, &format!("/letters/{transaction}/dossier.zip"))
        .await;
    assert!(zip.status.is_success(), "{}", zip.text());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body.clone())).expect("zip");
    let manifest: serde_json::Value =
        serde_json::from_reader(archive.by_name("manifest.json").expect("manifest")).expect("json");
    let company: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["role"] == "sender-entity")
        .map(|f| f["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        company,
        [
            "KbisUpload",
            "DocumentUpload",
            "DocumentUpload",
            "DocumentUpload",
            "PowerOfAttorneyVerification",
            "LegalRepresentativeConnection"
        ]
    );
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("dossier.zip");
    std::fs::write(&path, &zip.body).expect("write");
    let (code, text) = pli_verify(&app, &[&path]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("RESULT: VALID DOSSIER"), "{text}");
    app.stop().await;
}
