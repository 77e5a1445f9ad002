//! The published documents (TERMS-01, policy §2.4, eIDAS Art. 24(2)(d)): the terms of use for
//! senders (`/terms/senders`) and recipients (`/terms/recipients`); the policy statement is
//! on `/policy` ([`super::policy`]). Each page shows the document's version, OID, the link to
//! its PDF and that PDF's SHA-256 (computed by the server from the bytes it serves), then the
//! text, from the one source the PDF is rendered from (`crate::terms`).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::Info;
use crate::i18n::t;
use crate::terms::DocumentKind;
use crate::texts;

/// The page of one set of terms of use.
#[component]
pub fn TermsPage(kind: DocumentKind) -> impl IntoView {
    let document = kind.document();
    view! {
        <Title text=t(document.title) />
        <article class="published-document" data-document=format!("{kind:?}")>
            <h1>{t(document.title)}</h1>
            <p class="lead">{t(document.summary)}</p>
            <DocumentFacts kind />
            <DocumentText kind />
        </article>
    }
}

/// Version, OID, date, the PDF link and its SHA-256.
#[component]
pub fn DocumentFacts(kind: DocumentKind) -> impl IntoView {
    let document = kind.document();
    let published = expect_context::<Info>()
        .0
        .and_then(|info| info.document(kind).cloned());
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
                <a class="document-pdf" href=document.pdf rel="external" target="_blank">
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
pub fn DocumentText(kind: DocumentKind) -> impl IntoView {
    kind.document()
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
