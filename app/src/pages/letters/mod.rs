//! Registered-letter pages (issue 5): compose a letter, follow the sent letters, the inbox, and
//! the reception of a letter (identify, accept or refuse, open).

pub mod compose;
mod delivered;
pub mod inbox;
mod pager;
pub mod reception;
pub mod sent;
pub mod texts;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::SecondFactor;
use crate::i18n::{Lang, Tr, t, tr, use_lang};
use crate::lifecycle::TransactionStatus;
use crate::pages::account::CodeField;
use crate::{ErrorText, texts as common};

/// The signed-in user's links to the letter pages, in the site's navigation.
#[component]
pub fn LetterNav() -> impl IntoView {
    view! {
        <A href="/compose">{t(texts::NAV_COMPOSE)}</A>
        <A href="/sent">{t(texts::NAV_SENT)}</A>
        <A href="/inbox">{t(texts::NAV_INBOX)}</A>
    }
}

/// The name of a transaction status.
pub fn status_label(status: TransactionStatus) -> Tr {
    match status {
        TransactionStatus::Notifying => texts::STATUS_NOTIFYING,
        TransactionStatus::Awaiting => texts::STATUS_AWAITING,
        TransactionStatus::Accepted => texts::STATUS_ACCEPTED,
        TransactionStatus::Refused => texts::STATUS_REFUSED,
        TransactionStatus::Expired => texts::STATUS_EXPIRED,
        TransactionStatus::NotNotified => texts::STATUS_NOT_NOTIFIED,
    }
}

/// The CSS class of a transaction status badge.
pub fn status_class(status: TransactionStatus) -> &'static str {
    match status {
        TransactionStatus::Notifying => "status notifying",
        TransactionStatus::Awaiting => "status awaiting",
        TransactionStatus::Accepted => "status accepted",
        TransactionStatus::Refused => "status refused",
        TransactionStatus::Expired => "status expired",
        TransactionStatus::NotNotified => "status not-notified",
    }
}

/// A status badge in the current language (`lang`: the signal, when at hand).
#[component]
pub fn StatusBadge(
    status: TransactionStatus,
    #[prop(optional)] lang: Option<RwSignal<Lang>>,
) -> impl IntoView {
    let lang = lang.unwrap_or_else(use_lang);
    view! { <span class=status_class(status)>{tr(lang, status_label(status))}</span> }
}

/// A byte count for people: `1,5 Mo` / `1.5 MB` (powers of 1000, as file managers show).
pub fn format_size(lang: Lang, bytes: u64) -> String {
    #[expect(
        clippy::cast_precision_loss,
        reason = "an approximate size for display"
    )]
    let value = bytes as f64;
    let (number, unit) = if value >= 1e9 {
        (value / 1e9, ("Go", "GB"))
    } else if value >= 1e6 {
        (value / 1e6, ("Mo", "MB"))
    } else if value >= 1e3 {
        (value / 1e3, ("ko", "kB"))
    } else {
        return match lang {
            Lang::Fr => format!("{bytes} octets"),
            Lang::En => format!("{bytes} bytes"),
        };
    };
    let text = format!("{number:.1}");
    match lang {
        Lang::Fr => format!("{} {}", text.replace('.', ","), unit.0),
        Lang::En => format!("{text} {}", unit.1),
    }
}

pub use crate::when::{Day, Time};

/// Shows an error, with a way forward when there is one (sign in, prove identity).
#[component]
pub fn LetterError(error: crate::error::AppError) -> impl IntoView {
    use crate::error::AppError;
    let next = match error {
        AppError::SignInRequired | AppError::SessionExpired => Some(
            view! { <A href="/signin" attr:class="button">{t(common::NAV_SIGN_IN)}</A> }.into_any(),
        ),
        AppError::IdentityProofingRequired => Some(
            view! { <A href="/profile" attr:class="button">{t(texts::PROVE_IN_PROFILE)}</A> }
                .into_any(),
        ),
        AppError::SecondFactorSetupRequired => Some(
            view! { <A href="/profile" attr:class="button">{t(common::NAV_PROFILE)}</A> }
                .into_any(),
        ),
        _ => None,
    };
    view! {
        <ErrorText error />
        {next}
    }
}

/// An inline form for a fresh second-factor code (AUTH-02); `on_done` runs once the new OTP
/// session is open.
#[component]
pub fn FreshCode(lead: Tr, on_done: Callback<()>) -> impl IntoView {
    let action = ServerAction::<SecondFactor>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            on_done.run(());
        }
    });
    let error = crate::pages::form_error::FormError::of("fresh-code-error", action);
    view! {
        <ActionForm action attr:class="stack-form code-form fresh-code">
            <p>{t(lead)}</p>
            <CodeField maxlength="16" error />
            <button type="submit">{t(texts::CODE_SUBMIT)}</button>
            {error.message()}
        </ActionForm>
    }
}

/// A progress bar with its percentage and throughput.
#[component]
pub fn ProgressLine(
    label: Tr,
    /// (bytes done, bytes in all, seconds since the start)
    progress: Signal<(f64, f64, f64)>,
) -> impl IntoView {
    let percent = move || {
        let (done, total, _) = progress.get();
        if total > 0.0 {
            (done / total * 100.0).min(100.0)
        } else {
            0.0
        }
    };
    let rate = move || {
        let (done, _, seconds) = progress.get();
        if seconds > 0.0 {
            done / 1e6 / seconds
        } else {
            0.0
        }
    };
    view! {
        <div class="progress-line">
            <span class="progress-label">{t(label)}</span>
            <progress max="100" value=move || format!("{:.0}", percent())></progress>
            <span class="muted">{move || format!("{:.0} % · {:.1} MB/s", percent(), rate())}</span>
        </div>
    }
}

/// The URL of an attachment of a transaction (LET-11: the recipient's first download is the
/// opening).
pub fn attachment_url(transaction_id: &str, attachment_id: &str) -> String {
    format!("/letters/{transaction_id}/attachments/{attachment_id}")
}

/// The URL of one evidence of a transaction, as a PDF (issue 11).
pub fn evidence_url(transaction_id: &str, evidence_id: &str) -> String {
    format!("/letters/{transaction_id}/evidence/{evidence_id}")
}

/// The URL of a transaction's evidence dossier (LET-12).
pub fn dossier_url(transaction_id: &str) -> String {
    format!("/letters/{transaction_id}/dossier.zip")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(format_size(Lang::Fr, 1_500_000), "1,5 Mo");
        assert_eq!(format_size(Lang::En, 268_435_456), "268.4 MB");
        assert_eq!(format_size(Lang::En, 12), "12 bytes");
    }
}
