//! An incident's report as Markdown, in the reader's language: readable as plain text by the
//! supervisory body and the affected users, and rendered by any Markdown viewer. What people
//! typed is quoted (`> `) and table cells are escaped, so that it cannot change the document's
//! structure.

use std::fmt::Write;

use app::i18n::{Lang, Tr};
use app::incidents::{IncidentDetail, Step};
use app::texts::incidents as tx;
use domain::incidents::{IncidentStatus, Severity};
use domain::time::{self, Language};

fn language(lang: Lang) -> Language {
    match lang {
        Lang::Fr => Language::French,
        Lang::En => Language::English,
    }
}

/// Text typed by people, as a block quote.
fn quoted(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let _ = writeln!(out, "> {line}");
    }
    out
}

/// Text in a table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\t'], " ")
}

/// The report of `detail` in `lang`, generated at `generated_at` (RFC 3339, legal zone).
pub fn report(detail: &IncidentDetail, lang: Lang, generated_at: &str) -> String {
    let tr = |text: Tr| text.get(lang);
    let colon = tr(tx::COLON).trim_end();
    let when = |at: &str| time::in_words(at, language(lang));
    let yes_no = |flag: bool| tr(if flag { tx::YES } else { tx::NO });
    let by = |step: &Option<Step>| match step {
        Some(step) => format!("{} ({} {})", when(&step.at), tr(tx::BY), step.by),
        None => tr(tx::NOT_YET).to_owned(),
    };
    let incident = &detail.incident;
    let status = IncidentStatus::from_code(&incident.status)
        .map_or(incident.status.as_str(), |s| tr(tx::status_label(s)));
    let severity = Severity::from_code(&incident.severity)
        .map_or(incident.severity.as_str(), |s| tr(tx::severity_label(s)));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — {}\n",
        tr(tx::REPORT_TITLE),
        cell(&incident.title)
    );
    let _ = writeln!(out, "{}\n", tr(tx::REPORT_BASIS));
    let id = format!("`{}`", incident.id);
    for (label, value) in [
        ("Incident", id.as_str()),
        (tr(tx::STATUS), status),
        (tr(tx::FIELD_SEVERITY), severity),
        (tr(tx::DETECTED), &when(&incident.detected_at)),
        (tr(tx::REPORT_DUE), &when(&incident.report_due)),
        (tr(tx::REPORT_GENERATED), &when(generated_at)),
    ] {
        let _ = writeln!(out, "- {label}{colon} {value}");
    }
    out.push('\n');

    let _ = writeln!(
        out,
        "## {}\n\n{}",
        tr(tx::DESCRIPTION),
        quoted(&incident.description)
    );

    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        tr(tx::QUALIFICATION),
        by(&incident.qualified)
    );
    if let Some(q) = &incident.qualification {
        for (label, flag) in [
            (tx::PERSONAL_DATA, q.personal_data),
            (tx::CONFIDENTIALITY, q.confidentiality),
            (tx::INTEGRITY, q.integrity),
            (tx::AVAILABILITY, q.availability),
        ] {
            let _ = writeln!(out, "- {}{colon} {}", tr(label), yes_no(flag));
        }
        let _ = writeln!(out, "\n{}", quoted(&q.assessment));
    }
    for (title, step, text) in [
        (tx::NOTIFICATION, &incident.notified, &incident.notice),
        (tx::CLOSING, &incident.closed, &incident.summary),
    ] {
        let _ = writeln!(out, "## {}\n\n{}\n", tr(title), by(step));
        if let Some(text) = text {
            let _ = writeln!(out, "{}", quoted(text));
        }
    }

    let _ = writeln!(out, "## {}\n", tr(tx::TIMELINE));
    for entry in &detail.timeline {
        let _ = write!(
            out,
            "- {} — {}",
            when(&entry.at),
            tr(tx::event_label(&entry.event))
        );
        if let Some(letter) = &entry.letter_id {
            let _ = write!(out, " `{letter}`");
        }
        if !entry.by.is_empty() {
            let _ = write!(out, " ({} {})", tr(tx::BY), entry.by);
        }
        out.push('\n');
    }

    let _ = writeln!(out, "\n## {}\n", tr(tx::LETTERS));
    if detail.letters.is_empty() {
        let _ = writeln!(out, "{}", tr(tx::LETTERS_EMPTY));
    } else {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
            tr(tx::LETTER),
            tr(tx::RECIPIENT_LETTER),
            tr(tx::SENDER),
            tr(tx::RECIPIENT),
            tr(tx::STATUS),
            tr(tx::SENT_AT),
        );
        for letter in &detail.letters {
            let sent = letter.sent_at.as_deref().map(when).unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} <{}> | {} <{}> | {} | {} |",
                letter.letter_id,
                letter.recipient_letter_id,
                cell(&letter.sender_name),
                cell(&letter.sender_email),
                cell(&letter.recipient_name),
                cell(&letter.recipient_email),
                tx::letter_status(&letter.status, lang),
                sent,
            );
        }
    }

    let _ = writeln!(out, "\n## {}\n", tr(tx::ADDRESSES));
    for address in &detail.affected_addresses {
        let _ = writeln!(out, "- {}", cell(address));
    }
    out
}
