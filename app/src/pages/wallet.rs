//! Proving one's identity with the EU digital identity wallet (issue 14, eIDAS Art. 5a): the
//! request as a QR code for a wallet on a phone (shown on a computer), and as a link that
//! opens the wallet on this device (shown first on a phone). The page asks every two seconds
//! whether the wallet answered, then goes on to the page the proofing started from, which
//! shows the outcome.

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::wallet_status;
use crate::i18n::t;
use crate::types::WalletRequest;
use crate::{ErrorText, go_to, texts};

/// How often the page asks whether the wallet answered.
const POLL: Duration = Duration::from_secs(2);

#[component]
pub fn WalletPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let request = Resource::new(id, wallet_status);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || request.refetch(), POLL) {
            on_cleanup(move || handle.clear());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(WalletRequest::Done { next })) = request.get() {
            go_to(&next);
        }
    });
    view! {
        <Title text=t(texts::WALLET_TITLE) />
        <h1>{t(texts::WALLET_TITLE)}</h1>
        <p>{t(texts::WALLET_LEAD)}</p>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match request.await {
                    Ok(WalletRequest::Waiting { cross_device_url, qr_png_base64, same_device_url }) => {
                        view! {
                            <div class="wallet-request">
                                <section class="wallet-same-device">
                                    <p>{t(texts::WALLET_SAME_DEVICE)}</p>
                                    <a class="button" href=same_device_url rel="external">
                                        {t(texts::WALLET_OPEN)}
                                    </a>
                                </section>
                                <section class="wallet-cross-device">
                                    <p>{t(texts::WALLET_SCAN)}</p>
                                    <img
                                        class="wallet-qr"
                                        width="240"
                                        height="240"
                                        alt=t(texts::WALLET_QR_ALT)
                                        data-request=cross_device_url
                                        src=format!("data:image/png;base64,{qr_png_base64}")
                                    />
                                </section>
                            </div>
                            <p class="wallet-waiting" role="status">{t(texts::WALLET_WAITING)}</p>
                        }
                            .into_any()
                    }
                    Ok(WalletRequest::Done { next }) => {
                        view! {
                            <p role="status">{t(texts::WALLET_DONE)}</p>
                            <a class="button" href=next rel="external">{t(texts::WALLET_CONTINUE)}</a>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorText error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
