//! `/back-office/seal-keys`: the seal keys and the time-stamping authority under dual control
//! (OPS-06; policy §13.1.3 "Responsable du cachet", §13.6). A seal officer requests (a new key,
//! a key's activation or retirement, a change of TSA) and uploads a certification authority's
//! certificate for a generated key; another seal officer or a security officer approves or
//! rejects the pending requests. Every form works without JavaScript.

use domain::seal_keys::{SealKeyAction, SealKeyStatus};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::i18n::t;
use crate::pages::contacts::load_error;
use crate::pages::incidents::BackOfficeLink;
use crate::pages::letters::FreshCode;
use crate::seal_keys::{
    SealKeyActivate, SealKeyApprove, SealKeyCertificate, SealKeyGenerate, SealKeyReject,
    SealKeyRetire, SealKeyView, SealKeysPage, SealRequestView, TsaChange, fetch_seal_keys,
};
use crate::texts::seal_keys as tx;
use crate::when::Time;
use crate::{action_error, texts};

#[derive(Clone, Copy)]
struct Actions {
    generate: ServerAction<SealKeyGenerate>,
    activate: ServerAction<SealKeyActivate>,
    retire: ServerAction<SealKeyRetire>,
    tsa: ServerAction<TsaChange>,
    certificate: ServerAction<SealKeyCertificate>,
    approve: ServerAction<SealKeyApprove>,
    reject: ServerAction<SealKeyReject>,
}

impl Actions {
    fn new() -> Actions {
        Actions {
            generate: ServerAction::new(),
            activate: ServerAction::new(),
            retire: ServerAction::new(),
            tsa: ServerAction::new(),
            certificate: ServerAction::new(),
            approve: ServerAction::new(),
            reject: ServerAction::new(),
        }
    }

    /// The latest answer of every action, for the resource to reload and the page to tell.
    fn answers(&self) -> [Option<Result<SealKeysPage, AppError>>; 7] {
        [
            self.generate.value().get(),
            self.activate.value().get(),
            self.retire.value().get(),
            self.tsa.value().get(),
            self.certificate.value().get(),
            self.approve.value().get(),
            self.reject.value().get(),
        ]
    }
}

#[component]
pub fn SealKeysPage() -> impl IntoView {
    let actions = Actions::new();
    let fresh = RwSignal::new(0);
    let version = move || {
        (
            actions.generate.version().get(),
            actions.activate.version().get(),
            actions.retire.version().get(),
            actions.tsa.version().get(),
            actions.certificate.version().get(),
            actions.approve.version().get(),
            actions.reject.version().get(),
            fresh.get(),
        )
    };
    let page = Resource::new(version, |_| fetch_seal_keys());
    let on_code = Callback::new(move |()| fresh.update(|n| *n += 1));
    let errors = move || {
        actions
            .answers()
            .into_iter()
            .find(|answer| matches!(answer, Some(Err(_))))
            .flatten()
    };
    let done = move || actions.answers().iter().any(|a| matches!(a, Some(Ok(_))));
    view! {
        <Title text=t(tx::TITLE) />
        <BackOfficeLink />
        <h1>{t(tx::TITLE)}</h1>
        <p class="lead">{t(tx::LEAD)}</p>
        <div class="seal-keys-result" aria-live="polite">
            {action_error(errors)}
            {move || done().then(|| view! { <p class="success" role="status">{t(tx::DONE)}</p> })}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(AppError::OtpSessionRequired) => view! {
                        <FreshCode lead=texts::operators::OTP_NEEDED_BACK_OFFICE on_done=on_code />
                    }
                    .into_any(),
                    Err(error) => load_error(error),
                    Ok(page) => view! { <Page page actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Page(page: SealKeysPage, actions: Actions) -> impl IntoView {
    let SealKeysPage {
        may_request,
        may_approve,
        development,
        keys,
        requests,
        tsa_url,
        tsa_from_settings,
    } = page;
    let note = if development {
        tx::DEV_NOTE
    } else {
        tx::PROD_NOTE
    };
    view! {
        <section class="card seal-requests">
            <h2>{t(tx::REQUESTS)}</h2>
            <Requests requests may_approve actions />
        </section>
        <section class="card seal-keys">
            <h2>{t(tx::KEYS)}</h2>
            <p class="muted">{t(note)}</p>
            {may_request.then(|| view! {
                <ActionForm action=actions.generate>
                    <button type="submit" class="seal-key-generate">{t(tx::GENERATE)}</button>
                </ActionForm>
            })}
            <ul class="plain-list">
                {keys
                    .into_iter()
                    .map(|key| view! { <Key key may_request actions /> })
                    .collect_view()}
            </ul>
        </section>
        <section class="card seal-tsa">
            <h2>{t(tx::TSA)}</h2>
            <p>
                {t(tx::TSA_CURRENT)} " " <code class="tsa-url">{tsa_url}</code>
                {tsa_from_settings.then(|| view! { " " {t(tx::TSA_FROM_SETTINGS)} })}
            </p>
            {may_request.then(|| view! {
                <ActionForm action=actions.tsa attr:class="stack-form">
                    <label>
                        {t(tx::TSA_URL)}
                        <input type="url" name="url" required autocomplete="off" />
                    </label>
                    <label>
                        {t(tx::TSA_ROOTS)}
                        <textarea name="trust_roots" rows="4"></textarea>
                    </label>
                    <div class="actions">
                        <button type="submit" class="tsa-change">{t(tx::TSA_CHANGE)}</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn Key(key: SealKeyView, may_request: bool, actions: Actions) -> impl IntoView {
    let status = SealKeyStatus::from_code(&key.status);
    let status_text = status.map_or_else(
        || key.status.clone(),
        |s| t(tx::status_label(s))().to_owned(),
    );
    let csr = format!("/back-office/seal-keys/{}/request.pem", key.id);
    let can_activate = may_request && status == Some(SealKeyStatus::Ready);
    let can_retire = may_request
        && matches!(
            status,
            Some(SealKeyStatus::Generated | SealKeyStatus::Ready)
        );
    let can_certify = can_retire;
    let (id_activate, id_retire, id_certify) = (key.id.clone(), key.id.clone(), key.id.clone());
    let certificate = match (key.certificate_subject, key.certificate_serial) {
        (Some(subject), Some(serial)) => {
            let until = key.certificate_not_after.unwrap_or_default();
            view! {
                {subject} " · n° " <code>{serial}</code> " · " {t(tx::VALID_UNTIL)} " "
                <Time at=until />
            }
            .into_any()
        }
        _ => t(tx::NO_CERTIFICATE).into_any(),
    };
    let (data_status, data_label, label) = (key.status, key.label.clone(), key.label);
    view! {
        <li class="seal-key" data-status=data_status data-label=data_label>
            <p>
                <strong><code>{label}</code></strong> " · " {status_text} " · "
                <Time at=key.created_at />
            </p>
            <p class="muted">{t(tx::CERTIFICATE)} " : " {certificate}</p>
            {(status != Some(SealKeyStatus::Retired)).then(|| view! {
                <p><a href=csr download>{t(tx::CSR)}</a></p>
            })}
            {can_activate.then(|| view! {
                <ActionForm action=actions.activate>
                    <input type="hidden" name="key_id" value=id_activate />
                    <button type="submit" class="seal-key-activate">{t(tx::ACTIVATE)}</button>
                </ActionForm>
            })}
            {can_retire.then(|| view! {
                <ActionForm action=actions.retire>
                    <input type="hidden" name="key_id" value=id_retire />
                    <button type="submit" class="seal-key-retire">{t(tx::RETIRE)}</button>
                </ActionForm>
            })}
            {can_certify.then(|| view! {
                <ActionForm action=actions.certificate attr:class="stack-form">
                    <input type="hidden" name="key_id" value=id_certify />
                    <label>
                        {t(tx::UPLOAD)}
                        <textarea name="certificate" rows="3" required></textarea>
                    </label>
                    <button type="submit" class="seal-key-certificate">{t(tx::UPLOAD_BUTTON)}</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn Requests(requests: Vec<SealRequestView>, may_approve: bool, actions: Actions) -> impl IntoView {
    if requests.is_empty() {
        return view! { <p class="muted">{t(tx::NO_REQUESTS)}</p> }.into_any();
    }
    view! {
        <ul class="plain-list">
            {requests
                .into_iter()
                .map(|request| {
                    let action = SealKeyAction::from_code(&request.action)
                        .map_or_else(|| request.action.clone(), |a| t(tx::action_label(a))().to_owned());
                    let what = request.key_label.or(request.tsa_url).unwrap_or_default();
                    let (approve_id, reject_id) = (request.id.clone(), request.id.clone());
                    let own = request.own;
                    view! {
                        <li class="seal-request" data-action=request.action.clone()>
                            <p><strong>{action}</strong> " " <code>{what}</code></p>
                            <p class="muted">
                                {t(tx::REQUESTED_BY)} " " {request.requested_by} " · "
                                <Time at=request.requested_at /> " · " {t(tx::EXPIRES)} " "
                                <Time at=request.expires_at />
                            </p>
                            {(may_approve && !own).then(|| view! {
                                <ActionForm action=actions.approve>
                                    <input type="hidden" name="request_id" value=approve_id />
                                    <button type="submit" class="seal-request-approve">{t(tx::APPROVE)}</button>
                                </ActionForm>
                            })}
                            <ActionForm action=actions.reject>
                                <input type="hidden" name="request_id" value=reject_id />
                                <button type="submit" class="secondary seal-request-reject">
                                    {if own { t(tx::WITHDRAW) } else { t(tx::REJECT) }}
                                </button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
