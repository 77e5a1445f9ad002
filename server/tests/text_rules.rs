//! Issue 9: text that an evidence cannot carry is refused when it is entered, never accepted
//! and then found unsendable. A subject, message, file name or name with a control character
//! (U+0001, U+000B) or a noncharacter (U+FFFE) gets a clear 422 where it is typed; a message
//! with CRLF line ends (what browsers submit) is normalised and the letter is sent, with its
//! evidence.

mod common;

use app::error::AppError;
use app::validation::Invalid;
use common::flows::{User, contact, sender};
use common::scenario::Scenario;
use common::{Backend, spawn_app};

on_both_databases!(texts_are_checked_when_entered_and_crlf_is_normalised);

const BAD: [&str; 3] = ["\u{1}", "\u{b}", "\u{FFFE}"];

async fn texts_are_checked_when_entered_and_crlf_is_normalised(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.fr", "Alice Martin").await;
    let acme = contact(
        &app,
        &alice,
        "greffe@acme.example",
        "Greffe",
        Some("ACME"),
        None,
    )
    .await;
    let id: String = alice.call(&app, "draft_create", &[]).await.ok();
    let save = |subject: String, message: String| {
        let (alice, app, id, acme) = (&alice, &app, id.clone(), acme.clone());
        async move {
            alice
                .call(
                    app,
                    "draft_save",
                    &[
                        ("id", id.as_str()),
                        ("subject", subject.as_str()),
                        ("message", message.as_str()),
                        ("recipients", acme.as_str()),
                    ],
                )
                .await
        }
    };
    for bad in BAD {
        // Subject and message: refused at the autosave, with a 422 and the reason.
        let reply = save(format!("Mise en{bad}demeure"), "Bonjour".to_owned()).await;
        assert_eq!(reply.status, 422, "subject with {bad:?}");
        assert_eq!(reply.err(), AppError::Invalid(Invalid::ControlCharacter));
        let reply = save("Objet".to_owned(), format!("Bon{bad}jour")).await;
        assert_eq!(reply.status, 422, "message with {bad:?}");
        assert_eq!(reply.err(), AppError::Invalid(Invalid::ControlCharacter));
        // A file name: refused before the upload is stored.
        let reply = alice
            .upload(
                &app,
                &id,
                &format!("con{bad}trat.pdf"),
                b"%PDF-1.7 x".to_vec(),
            )
            .await;
        assert_eq!(reply.status, 422, "file name with {bad:?}");
        assert_eq!(reply.route_err(), AppError::Invalid(Invalid::FileName));
        // A contact's name and a company name.
        for form in [
            vec![("email", "x@example.fr"), ("name", &*format!("Je{bad}an"))],
            vec![
                ("email", "y@example.fr"),
                ("name", "Jean"),
                ("professional", "on"),
                ("company_name", &*format!("AC{bad}ME")),
            ],
        ] {
            let reply = alice.call(&app, "contact_save", &form).await;
            assert_eq!(reply.status, 422, "contact {form:?}");
            assert_eq!(reply.err(), AppError::Invalid(Invalid::ControlCharacter));
        }
        // A person's name at sign-up.
        let reply = User::visitor("bob@example.fr", &format!("B{bad}ob"))
            .sign_up(&app)
            .await;
        assert_eq!(reply.status, 422, "sign-up name with {bad:?}");
    }
    // CRLF line ends, as a browser submits a textarea: normalised to LF, and the letter goes.
    let drafted = Scenario::new(&app)
        .by(&alice)
        .contact(&acme)
        .subject("Mise en demeure")
        .message("Madame,\r\n\r\nVeuillez trouver ci-joint le contrat.\r\n")
        .attachment("contrat.pdf", b"%PDF-1.7 contrat".to_vec())
        .draft()
        .await;
    assert_eq!(
        drafted.saved.message,
        "Madame,\n\nVeuillez trouver ci-joint le contrat."
    );
    let sent = drafted.send(&app).await.letter;
    assert_eq!(
        sent.message,
        "Madame,\n\nVeuillez trouver ci-joint le contrat."
    );
    assert_eq!(sent.transactions.len(), 1);
    app.stop().await;
}
