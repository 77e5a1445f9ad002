use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::terms::{DocumentFacts, DocumentText};
use crate::Info;
use crate::i18n::t;
use crate::terms::DocumentKind;
use crate::texts;

/// The published policy: identifier, the published documents (TERMS-01: the policy and
/// practice statement and both sets of terms of use, each with its PDF and that PDF's
/// SHA-256), commitments, the certificates anyone needs to verify our evidence (EVD-07), then
/// the statement itself.
#[component]
pub fn PolicyPage() -> impl IntoView {
    let info = expect_context::<Info>().0;
    let (statement, statement_published) = super::terms::in_force(DocumentKind::Policy);
    view! {
        <Title text=t(texts::POLICY_TITLE) />
        <h1>{t(texts::POLICY_TITLE)}</h1>
        <p class="lead">{t(texts::POLICY_LEAD)}</p>
        {info
            .clone()
            .map(|info| {
                view! {
                    <dl class="facts">
                        <dt>{t(texts::POLICY_OID)}</dt>
                        <dd><code class="policy-oid">{info.policy_oid}</code></dd>
                        <dt>{t(texts::POLICY_ZONE)}</dt>
                        <dd>{info.legal_time_zone}</dd>
                    </dl>
                }
            })}
        <h2>{t(texts::DOCUMENTS_TITLE)}</h2>
        <ul class="published-documents">
            {DocumentKind::ALL
                .into_iter()
                .map(|kind| {
                    let (document, published) = super::terms::in_force(kind);
                    view! {
                        <li data-document=format!("{kind:?}")>
                            <A href=document.page>{t(document.title)}</A>
                            <span class="muted">
                                {t(texts::DOCUMENT_VERSION)} " " {document.version}
                                {published.as_ref().map(|p| format!(" · OID {}", p.oid))}
                            </span>
                            <a class="document-pdf" href=document.pdf rel="external" target="_blank">
                                {t(texts::DOCUMENT_PDF_LINK)}
                            </a>
                            {published
                                .map(|p| {
                                    view! {
                                        <small>
                                            {t(texts::DOCUMENT_SHA256)} " : "
                                            <code class="document-sha256">{p.sha256}</code>
                                        </small>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <h2>{t(texts::POLICY_COMMITMENTS)}</h2>
        <ul>
            <li>{t(texts::POLICY_C1)}</li>
            <li>{t(texts::POLICY_C2)}</li>
            <li>{t(texts::POLICY_C3)}</li>
            <li>{t(texts::POLICY_C4)}</li>
        </ul>
        <h2>{t(texts::POLICY_CERTS)}</h2>
        <ul class="downloads">
            <li><a href="/pki/root.pem" download>{t(texts::POLICY_CERT_ROOT)}</a></li>
            <li><a href="/pki/seal.pem" download>{t(texts::POLICY_CERT_SEAL)}</a></li>
            <li><a href="/pki/tsa.pem" download>{t(texts::POLICY_CERT_TSA)}</a></li>
        </ul>
        <h2>{t(texts::POLICY_LOG)}</h2>
        <p>{t(texts::POLICY_LOG_LEAD)}</p>
        <ul class="downloads">
            <li><a href="/log/heads" rel="external">{t(texts::POLICY_LOG_HEADS)}</a></li>
            <li><a href="/log/heads/latest" rel="external">{t(texts::POLICY_LOG_LATEST)}</a></li>
        </ul>
        <article class="published-document" data-document="Policy">
            <h2>{t(statement.title)}</h2>
            <p class="lead">{t(statement.summary)}</p>
            <DocumentFacts document=statement published=statement_published current=true />
            <DocumentText document=statement />
        </article>
    }
}
