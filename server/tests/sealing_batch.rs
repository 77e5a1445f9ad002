//! A batch of evidences sealed at once with the built-in TSA (a send to many recipients,
//! issue 11): one blocking worker per core, the PDFs returned in the evidences' order, and the
//! first failure failing the whole batch.

mod common;

use common::records::{count, deposit_evidence};
use common::{Backend, spawn_app};
use evidence::pades::{Evidence, PadesError};
use server::sealing::SealingError;

fn contains(pdf: &[u8], text: &str) -> bool {
    pdf.windows(text.len()).any(|w| w == text.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_comes_back_in_order_and_fails_whole_on_one_bad_evidence() {
    let app = spawn_app(Backend::Sqlite).await;
    let evidences: Vec<Evidence> = (0..7)
        .map(|i| deposit_evidence(&app, &format!("letter-{i}")))
        .collect();
    let pdfs = app.state.sealer.seal_all(&evidences).await.expect("sealed");
    assert_eq!(pdfs.len(), evidences.len());
    for (evidence, pdf) in evidences.iter().zip(&pdfs) {
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            contains(pdf, &evidence.id),
            "each PDF is its own evidence's"
        );
    }

    // An evidence without its sender cannot be sealed: the batch fails with its error, and a
    // fault of the evidence (not of the key or the TSA) is not a seal use error (OPS-03).
    let errors_before = count(
        &app,
        "SELECT COUNT(*) FROM audit_event WHERE action = 'seal_use_error'",
        &[],
    )
    .await;
    let mut batch = evidences.clone();
    batch[4].sender = None;
    let failure = app.state.sealer.seal_all(&batch).await;
    assert!(
        matches!(
            failure,
            Err(SealingError::Pades(PadesError::MissingField { .. }))
        ),
        "{failure:?}"
    );
    let errors = count(
        &app,
        "SELECT COUNT(*) FROM audit_event WHERE action = 'seal_use_error'",
        &[],
    )
    .await;
    assert_eq!(errors, errors_before);
    app.stop().await;
}
