use leptos::prelude::*;
use leptos_meta::Title;

use crate::Info;
use crate::i18n::t;
use crate::texts;

/// The published policy: identifier, commitments and the certificates anyone needs to verify
/// our evidence (EVD-07).
#[component]
pub fn PolicyPage() -> impl IntoView {
    let info = expect_context::<Info>().0;
    view! {
        <Title text=t(texts::POLICY_TITLE) />
        <h1>{t(texts::POLICY_TITLE)}</h1>
        <p class="lead">{t(texts::POLICY_LEAD)}</p>
        {info
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
    }
}
