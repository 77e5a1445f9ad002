//! Letters and legal entities (issue 13; policy §4.7, §6.2, §6.4): a letter sent for a company
//! by its delegate names the company in its deposit and summary evidences, and its dossier
//! carries the evidences that let the delegate act for it (the extract's and documents'
//! uploads, the power-of-attorney verification, the representative link), checked whole by
//! `pli verify`. A letter to a company (by its registry number) is delivered to its legal
//! representative or a delegate, from their own account, and to nobody else.

mod common;

use app::error::AppError;
use app::letters::{InboxItem, ListPage, Reception, RecipientAuth};
use app::lifecycle::TransactionStatus;
use common::entities::{call_err, checker, delegate, representative};
use common::flows::{User, contact, decision, draft, proven, reception};
use common::records::{
    assert_valid_evidence, evidence_kinds, letter_pdf, mails, pli_verify, unzip,
};
use common::scenario::Scenario;
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    a_delegate_sends_for_the_company_with_its_evidences,
    a_letter_to_a_company_is_delivered_to_its_representative_or_a_delegate,
);

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

/// The letters in `user`'s inbox.
async fn inbox(app: &TestApp, user: &User) -> Vec<InboxItem> {
    user.call(app, "inbox", &[])
        .await
        .ok::<ListPage<InboxItem>>()
        .items
}

/// The roles and kinds of a dossier's files, from its manifest.
fn dossier_files(zip: &[u8]) -> Vec<(String, String)> {
    let manifest = unzip(zip)
        .into_iter()
        .find(|(name, _)| name == "manifest.json")
        .expect("manifest");
    let manifest: serde_json::Value = serde_json::from_slice(&manifest.1).expect("json");
    manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["role"].as_str().unwrap_or_default().to_owned(),
                f["kind"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Covers ID-03, ID-06 (policy §6.4, §4.7). Alice writes to Filiale SAS by its registry number, at its mail room's
/// address. Paul, identified at that address, does not act for it: nothing is delivered to
/// him, and no proofing at the reception can make anyone its addressee. Ève, its verified
/// delegate, finds it in her own inbox and accepts it: the acceptance names the company and
/// her capacity, and the dossier carries her company evidences. Dan, its legal
/// representative, sees it too; once he revokes Ève, the letter is no longer hers.
async fn a_letter_to_a_company_is_delivered_to_its_representative_or_a_delegate(backend: Backend) {
    let app = spawn_app(backend).await;
    let vera = checker(&app).await;
    let (dan, _) = representative(&app, &vera).await;
    let (eve, member) = delegate(&app, &vera).await;
    let mail_room = ("courrier@filiale.example", "Service juridique");

    // A registry number is checked as the companies page checks it.
    let alice = common::flows::sender(&app, "alice@example.org", "Alice Martin").await;
    for (registry, number) in [
        ("rcs_fr", "732 829 321"),
        ("rcs_lu", "Z12"),
        ("xx", "732829320"),
    ] {
        let form = [
            ("email", mail_room.0),
            ("name", mail_room.1),
            ("professional", "on"),
            ("company_name", "Filiale SAS"),
            ("company_registry", registry),
            ("company_number", number),
        ];
        let refused = call_err(&app, &alice, "contact_save", &form).await;
        assert_eq!(
            refused,
            AppError::Invalid(app::validation::Invalid::RegistryNumber),
            "{registry} {number}"
        );
    }
    let sent = Scenario::new(&app)
        .by(&alice)
        .company(mail_room, "Filiale SAS", ("rcs_fr", "732 829 320"))
        .subject("Mise en demeure")
        .send()
        .await;
    let transaction = sent.transaction().to_owned();
    let token = sent.to(mail_room.0).token.clone();
    assert_eq!(
        sent.letter.transactions[0].recipient_company.as_deref(),
        Some("Filiale SAS (RCS 732 829 320)")
    );
    let notified = mails(&app, mail_room.0).await;
    assert!(
        notified
            .iter()
            .any(|(_, text)| text.contains("Filiale SAS (RCS 732 829 320)")
                && text.contains("représentant")),
        "{notified:?}"
    );
    let summary =
        assert_valid_evidence(&app, &letter_pdf(&app, &transaction, "LetterSummary").await);
    assert!(
        format!("{summary:?}").contains("RCS 732 829 320"),
        "{summary:?}"
    );

    // Paul, identified at the company's address, does not act for it.
    let paul = proven(&app, mail_room.0, "Paul Lenoir").await;
    let view: Reception = reception(&app, &paul, &transaction, Some(&token))
        .await
        .ok();
    assert_eq!(
        view.company.as_deref(),
        Some("Filiale SAS (RCS 732 829 320)")
    );
    assert_eq!(
        view.auth,
        RecipientAuth::NotTheAddressee {
            verified_name: "Paul Lenoir".to_owned()
        }
    );
    assert!(!view.can_decide && view.subject.is_none());
    paul.fresh_code(&app).await;
    let refused = paul
        .call(&app, "letter_accept", &decision(&transaction))
        .await;
    assert_eq!(refused.err(), AppError::NotTheAddressee);
    // Nor does a proofing at the reception make anyone the company's addressee.
    let stranger = User::visitor("stranger@example.com", "Stranger");
    let start = stranger
        .call(
            &app,
            "reception_proofing_start",
            &[("transaction_id", &transaction), ("token", &token)],
        )
        .await;
    assert_eq!(start.err(), AppError::NotTheAddressee);

    // Ève, its delegate, from her own address: in her inbox, and hers to accept.
    eve.sign_in_again(&app).await;
    let items = inbox(&app, &eve).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].transaction_id, transaction);
    assert_eq!(
        items[0].company.as_deref(),
        Some("Filiale SAS (RCS 732 829 320)")
    );
    assert!(items[0].subject.is_none());
    let view: Reception = reception(&app, &eve, &transaction, None).await.ok();
    assert!(
        matches!(&view.auth, RecipientAuth::Account { name, .. } if name == "Ève Martin"),
        "{:?}",
        view.auth
    );
    let accepted: Reception = eve
        .call(&app, "letter_accept", &decision(&transaction))
        .await
        .ok();
    assert_eq!(accepted.status, TransactionStatus::Accepted);
    assert_eq!(accepted.subject.as_deref(), Some("Mise en demeure"));
    let acceptance =
        assert_valid_evidence(&app, &letter_pdf(&app, &transaction, "Acceptance").await);
    let text = format!("{acceptance:?}");
    for expected in [
        "Filiale SAS",
        "RCS 732 829 320",
        "Délégataire",
        "Ève Martin",
        "eve@example.org",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let decided_by: Option<String> =
        sqlx::query_scalar("SELECT recipient_member_id FROM letter_transaction WHERE id = $1")
            .bind(&transaction)
            .fetch_one(app.state.db.pool())
            .await
            .expect("transaction");
    assert_eq!(decided_by.as_deref(), Some(member.id.as_str()));

    // Her dossier and the sender's carry her company evidences, and verify whole.
    let company_kinds = [
        "KbisUpload",
        "DocumentUpload",
        "DocumentUpload",
        "DocumentUpload",
        "PowerOfAttorneyVerification",
        "LegalRepresentativeConnection",
    ];
    for reader in [&eve, &sent.sender] {
        let zip = reader
            .get(&app, &format!("/letters/{transaction}/dossier.zip"))
            .await;
        assert!(zip.status.is_success(), "{}", zip.text());
        let entity: Vec<String> = dossier_files(&zip.body)
            .into_iter()
            .filter(|(role, _)| role == "recipient-entity")
            .map(|(_, kind)| kind)
            .collect();
        assert_eq!(entity, company_kinds);
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("dossier.zip");
        std::fs::write(&path, &zip.body).expect("write");
        let (code, text) = pli_verify(&app, &[&path]);
        assert_eq!(code, Some(0), "{text}");
    }

    // Dan, its legal representative, sees it too; he revokes Ève: it is no longer hers.
    dan.sign_in_again(&app).await;
    let items = inbox(&app, &dan).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].subject.as_deref(), Some("Mise en demeure"));
    let _: app::entities::Organisations = dan
        .call(&app, "entity_revoke", &[("member_id", &member.id)])
        .await
        .ok();
    assert!(inbox(&app, &eve).await.is_empty());
    let gone = reception(&app, &eve, &transaction, None).await;
    assert_eq!(gone.err(), AppError::NotFound);
    app.stop().await;
}
