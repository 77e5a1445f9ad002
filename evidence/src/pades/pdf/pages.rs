//! What the evidence's pages say: its sections in order (evidence, parties, letter, sessions,
//! details, file digests, the note on the attached XML), and the running header and footer.

use pdf_writer::Content;

use super::font::{Font, Line, height, lines, winansi};
use super::layout::{BOTTOM, ENGLISH_INK, INK, LABEL_INK, LEFT, Layout, PAGE_H, RIGHT};
use domain::time;

use crate::pades::{Evidence, format_utc, keys};

/// Column x positions and widths of the digest table.
const FILE_X: f32 = LEFT;
const FILE_W: f32 = 205.0;
const METHOD_X: f32 = FILE_X + FILE_W + 8.0;
const METHOD_W: f32 = 55.0;
const HEX_X: f32 = METHOD_X + METHOD_W + 8.0;
const HEX_W: f32 = RIGHT - HEX_X;
const HEX_SIZE: f32 = 8.5;

fn digest_table_header(layout: &mut Layout) {
    layout.ensure(26.0);
    let top = layout.y;
    for (x, fr, en) in [
        (FILE_X, "Fichier", "File"),
        (METHOD_X, "Méthode", "Method"),
        (HEX_X, "Empreinte (hexadécimal)", "Digest (hexadecimal)"),
    ] {
        layout.text_at(x, top - 8.5, Font::Bold, 8.5, LABEL_INK, &winansi(fr));
        layout.text_at(x, top - 18.0, Font::Regular, 7.5, ENGLISH_INK, &winansi(en));
    }
    layout.rule(LEFT, RIGHT, top - 22.0, 0.6, 0.5);
    layout.y = top - 26.0;
}

fn digest_table(layout: &mut Layout, evidence: &Evidence) {
    digest_table_header(layout);
    let per_line = ((HEX_W / (0.6 * HEX_SIZE)).floor() as usize).max(8);
    for digest in &evidence.digests {
        let mut file = lines(&digest.file_name, Font::Regular, 9.0, INK, FILE_W);
        if let Some(id) = &digest.file_id {
            file.extend(lines(
                &format!("Id : {id}"),
                Font::Regular,
                7.5,
                ENGLISH_INK,
                FILE_W,
            ));
        }
        let method = lines(&digest.algorithm, Font::Regular, 9.0, INK, METHOD_W);
        let hex: Vec<Line> = digest
            .hex
            .as_bytes()
            .chunks(per_line)
            .map(|chunk| Line {
                font: Font::Mono,
                size: HEX_SIZE,
                gray: INK,
                leading: HEX_SIZE * 1.3,
                text: chunk.to_vec(),
            })
            .collect();
        let h = height(&file).max(height(&method)).max(height(&hex)) + 6.0;
        if layout.y - h < BOTTOM {
            layout.new_page();
            digest_table_header(layout);
        }
        let top = layout.y;
        layout.draw(FILE_X, top, &file);
        layout.draw(METHOD_X, top, &method);
        layout.draw(HEX_X, top, &hex);
        layout.rule(LEFT, RIGHT, top - h + 3.0, 0.85, 0.4);
        layout.y = top - h;
    }
}

/// Lays out every page's content (without the running header and footer).
pub(super) fn lay_out(evidence: &Evidence) -> Vec<Content> {
    let kind = evidence.kind;
    let mut layout = Layout::new();

    let title = lines(kind.title_fr(), Font::Bold, 17.0, INK, RIGHT - LEFT);
    let subtitle = lines(
        kind.title_en(),
        Font::Regular,
        12.0,
        ENGLISH_INK,
        RIGHT - LEFT,
    );
    layout.paragraph(&title);
    layout.y -= 2.0;
    layout.paragraph(&subtitle);
    layout.y -= 4.0;

    layout.heading("Preuve", "Evidence");
    layout.row(
        "Identifiant de la preuve",
        "Evidence identifier",
        &evidence.id,
        Font::Regular,
    );
    layout.row(
        "Type de preuve",
        "Evidence type",
        &format!("{}\n{}", kind.title_fr(), kind.title_en()),
        Font::Regular,
    );
    let event = kind.event_label();
    let event = format!("{}\n{}\n{}", event.fr, event.en, kind.event_uri());
    match kind.etsi_event() {
        Some(_) => layout.row(
            "Événement ETSI EN 319 522",
            "ETSI EN 319 522 event",
            &event,
            Font::Regular,
        ),
        None => layout.row(
            "Événement (hors ETSI EN 319 522)",
            "Event (beyond ETSI EN 319 522)",
            &event,
            Font::Regular,
        ),
    }
    layout.row(
        "Date et heure de l'événement (UTC)",
        "Event time (UTC)",
        &format_utc(evidence.event_time),
        Font::Regular,
    );
    if let Some(zone) = evidence.issuer.time_zone {
        let ms = evidence
            .event_time
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let legal = time::legal_rfc3339_millis(ms, zone);
        layout.row(
            &format!("Date et heure légales ({zone})"),
            &format!("Legal time ({zone})"),
            &format!(
                "{}\n{}",
                time::in_words_precise(&legal, time::Language::French),
                time::in_words_precise(&legal, time::Language::English)
            ),
            Font::Regular,
        );
    }
    if let Some(time) = evidence.submission_time {
        layout.known_row(keys::SUBMISSION_TIME, &format_utc(time));
    }
    layout.row(
        "Politique de preuve (OID)",
        "Evidence policy (OID)",
        &evidence.policy_oid,
        Font::Regular,
    );
    layout.row(
        "Émetteur de la preuve",
        "Evidence issuer",
        &format!("{}\n{}", evidence.issuer.name, evidence.issuer.url),
        Font::Regular,
    );

    for (party, fr, en, [name, id, email]) in [
        (
            &evidence.sender,
            "Expéditeur",
            "Sender",
            [keys::SENDER_NAME, keys::SENDER_ID, keys::SENDER_EMAIL],
        ),
        (
            &evidence.recipient,
            "Destinataire",
            "Recipient",
            [
                keys::RECIPIENT_NAME,
                keys::RECIPIENT_ID,
                keys::RECIPIENT_EMAIL,
            ],
        ),
        (
            &evidence.user,
            "Utilisateur",
            "User",
            [keys::USER_NAME, keys::USER_ID, keys::USER_EMAIL],
        ),
    ] {
        if let Some(party) = party {
            layout.heading(fr, en);
            layout.known_row(name, &party.name);
            layout.known_row(id, &party.id);
            if let Some(address) = &party.email {
                layout.known_row(email, address);
            }
        }
    }
    let status = kind.letter_status();
    if evidence.letter_id.is_some() || evidence.subject.is_some() || status.is_some() {
        layout.heading("Lettre recommandée", "Registered letter");
        if let Some(id) = &evidence.letter_id {
            layout.known_row(keys::LETTER_ID, id);
        }
        if let Some(subject) = &evidence.subject {
            layout.known_row(keys::LETTER_SUBJECT, subject);
        }
        if let Some(status) = status {
            layout.known_row(
                keys::LETTER_STATUS,
                &format!("{}\n{}", status.fr, status.en),
            );
        }
    }
    if let Some(sessions) = &evidence.sessions {
        layout.heading("Sessions d'authentification", "Authentication sessions");
        layout.known_row(keys::LOGIN_SESSION_ID, &sessions.login_session_id);
        layout.known_row(keys::LOGIN_TIME, &format_utc(sessions.login_time));
        layout.known_row(keys::OTP_SESSION_ID, &sessions.otp_session_id);
    }
    if !evidence.fields.is_empty() {
        layout.heading("Informations complémentaires", "Details");
        for field in &evidence.fields {
            layout.row(
                &field.label_fr,
                &field.label_en,
                &field.value,
                Font::Regular,
            );
        }
    }
    if !evidence.digests.is_empty() {
        layout.heading("Empreintes des fichiers", "File digests");
        digest_table(&mut layout, evidence);
    }

    layout.y -= 10.0;
    let file = evidence.xml_file_name();
    let mut note = lines(
        &format!(
            "Les données de cette preuve sont jointes au document au format XML (fichier {file}). \
             Le cachet électronique (PAdES) et son horodatage couvrent les pages et la pièce jointe."
        ),
        Font::Regular,
        8.0,
        LABEL_INK,
        RIGHT - LEFT,
    );
    note.extend(lines(
        &format!(
            "This evidence's data is attached to the document as XML (file {file}). The electronic \
             seal (PAdES) and its time-stamp cover the pages and the attachment."
        ),
        Font::Regular,
        7.5,
        ENGLISH_INK,
        RIGHT - LEFT,
    ));
    layout.paragraph(&note);
    layout.pages
}

/// Adds the running header and footer to every page.
pub(super) fn decorate(pages: &mut [Content], evidence: &Evidence) {
    let count = pages.len();
    let verify = evidence.issuer.verify_url();
    let footer_fr = format!(
        "Preuve scellée par {} ; vérification : {verify}",
        evidence.issuer.name
    );
    let footer_en = format!(
        "Evidence sealed by {}; verify at {verify}",
        evidence.issuer.name
    );
    let header = winansi(&format!("{}  ·  {}", evidence.issuer.name, evidence.id));
    for (i, page) in pages.iter_mut().enumerate() {
        let mut layout = Layout {
            pages: vec![std::mem::replace(page, Content::new())],
            y: 0.0,
        };
        layout.text_at(
            LEFT,
            PAGE_H - 40.0,
            Font::Regular,
            7.5,
            ENGLISH_INK,
            &header,
        );
        let number = winansi(&format!("Page {} / {count}", i + 1));
        let x = RIGHT - Font::Regular.width(&number, 7.5);
        layout.text_at(x, PAGE_H - 40.0, Font::Regular, 7.5, ENGLISH_INK, &number);
        layout.rule(LEFT, RIGHT, PAGE_H - 46.0, 0.75, 0.5);

        layout.rule(LEFT, RIGHT, 62.0, 0.75, 0.5);
        let mut y = 58.0;
        for line in lines(&footer_fr, Font::Regular, 7.5, LABEL_INK, RIGHT - LEFT)
            .into_iter()
            .chain(lines(
                &footer_en,
                Font::Regular,
                7.0,
                ENGLISH_INK,
                RIGHT - LEFT,
            ))
        {
            y = layout.draw(LEFT, y, std::slice::from_ref(&line));
        }
        *page = layout.pages.remove(0);
    }
}
