//! The published documents (TERMS-01, policy §2.4, eIDAS Art. 24(2)(d)): the terms of use for
//! senders (`/terms/senders`) and recipients (`/terms/recipients`); the policy statement is
//! on `/policy` ([`super::policy`]). Each page shows the document's version, OID, the link to
//! its PDF and that PDF's SHA-256 (computed by the server from the bytes it serves), then the
//! text, from the one source the PDF is rendered from (`crate::terms`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::Info;
use crate::i18n::t;
use crate::terms::{Document, DocumentKind, PublishedDocument};
use crate::texts;

/// The edition of `kind` in force on the server's date (OPS-07), and what the server
/// publishes of it.
pub fn in_force(kind: DocumentKind) -> (&'static Document, Option<PublishedDocument>) {
    let published = expect_context::<Info>()
        .0
        .and_then(|info| info.document(kind).cloned());
    let document = published
        .as_ref()
        .and_then(|p| kind.edition(&p.version))
        .unwrap_or(kind.document());
    (document, published)
}

/// The editions of `kind` published and not yet in force.
fn upcoming(kind: DocumentKind) -> Vec<(&'static Document, PublishedDocument)> {
    expect_context::<Info>()
        .0
        .map(|info| info.upcoming)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.kind == kind)
        .filter_map(|p| kind.edition(&p.version).map(|d| (d, p)))
        .collect()
}

/// The page of one set of terms of use: the edition in force, or the one the address names
/// (`?version=2027-01`), with a notice of any edition to come.
#[component]
pub fn TermsPage(kind: DocumentKind) -> impl IntoView {
    let (current, published) = in_force(kind);
    let asked = use_query_map()
        .get_untracked()
        .get("version")
        .and_then(|v| kind.edition(&v));
    let coming = upcoming(kind);
    let (document, published) = match asked {
        Some(edition) if edition.version != current.version => (
            edition,
            coming
                .iter()
                .find(|(d, _)| d.version == edition.version)
                .map(|(_, p)| p.clone()),
        ),
        _ => (current, published),
    };
    let notice = coming
        .into_iter()
        .filter(|(d, _)| d.version != document.version)
        .map(|(d, _)| {
            let page = format!("{}?version={}", d.page, d.version);
            view! {
                <p class="notice upcoming-edition" data-version=d.version>
                    {t(texts::DOCUMENT_UPCOMING)} " " <strong>{d.version}</strong> " · "
                    {t(texts::DOCUMENT_EFFECTIVE)} " " {d.effective} " · "
                    <a href=page>{t(texts::DOCUMENT_UPCOMING_READ)}</a>
                </p>
            }
        })
        .collect_view();
    view! {
        <Title text=t(document.title) />
        <article class="published-document" data-document=format!("{kind:?}") data-version=document.version>
            <h1>{t(document.title)}</h1>
            {notice}
            <p class="lead">{t(document.summary)}</p>
            <DocumentFacts document published current=document.version == current.version />
            <DocumentText document />
        </article>
    }
}

/// Version, OID, date, the PDF link and its SHA-256. `current`: the edition in force, served
/// at the kind's PDF address; another at its own.
#[component]
pub fn DocumentFacts(
    document: &'static Document,
    published: Option<PublishedDocument>,
    current: bool,
) -> impl IntoView {
    let pdf = if current {
        document.pdf.to_owned()
    } else {
        document.edition_pdf()
    };
    view! {
        <dl class="facts document-facts">
            <dt>{t(texts::DOCUMENT_VERSION)}</dt>
            <dd class="document-version">{document.version}</dd>
            {published
                .clone()
                .map(|p| {
                    view! {
                        <dt>{t(texts::DOCUMENT_OID)}</dt>
                        <dd><code class="document-oid">{p.oid}</code></dd>
                    }
                })}
            <dt>{t(texts::DOCUMENT_EFFECTIVE)}</dt>
            <dd>{document.effective}</dd>
            <dt>{t(texts::DOCUMENT_PDF)}</dt>
            <dd>
                <a class="document-pdf" href=pdf rel="external" target="_blank">
                    {t(texts::DOCUMENT_PDF_LINK)}
                </a>
            </dd>
            {published
                .map(|p| {
                    view! {
                        <dt>{t(texts::DOCUMENT_SHA256)}</dt>
                        <dd><code class="document-sha256">{p.sha256}</code></dd>
                    }
                })}
        </dl>
    }
    .into_any()
}

/// The document's sections, in the current language.
#[component]
pub fn DocumentText(document: &'static Document) -> impl IntoView {
    document
        .sections
        .iter()
        .map(|section| {
            view! {
                <section class="document-section">
                    <h2>{t(section.heading)}</h2>
                    {section.paragraphs.iter().map(|p| view! { <p>{t(*p)}</p> }).collect_view()}
                </section>
            }
        })
        .collect_view()
}

#[component]
pub fn SenderTermsPage() -> impl IntoView {
    view! { <TermsPage kind=DocumentKind::SenderTerms /> }
}

#[component]
pub fn RecipientTermsPage() -> impl IntoView {
    view! { <TermsPage kind=DocumentKind::RecipientTerms /> }
}
