//! The public verification page (EVD-03, EVD-06): anyone uploads an evidence PDF and gets the
//! same checks as `pli verify` (seal, chain, time-stamp, integrity, journal); optionally an
//! original file is checked against the hashes the evidence records. The original is hashed in
//! the browser (WASM, in a Web Worker): only its hash is sent, never the file.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ErrorText;
use crate::api::verify_evidence;
use crate::hashing::Progress;
use crate::i18n::{Lang, Tr, t, use_lang};
use crate::texts;
use crate::types::VerificationReport;
use crate::when::{DayOf, Time};

#[component]
pub fn VerifyPage() -> impl IntoView {
    // The original file's SHA-256, computed in the browser by `OriginalFileCheck`.
    let original = RwSignal::new(None::<String>);
    let verify =
        Action::new_local(|form: &FormDataArg| verify_evidence(form.clone().into_multipart()));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            if let Some(hex) = original.get_untracked() {
                let _ = data.append_with_str("original_sha256", &hex);
            }
            verify.dispatch_local(FormDataArg(data));
        }
    };
    view! {
        <Title text=t(texts::NAV_VERIFY) />
        <h1>{t(texts::NAV_VERIFY)}</h1>
        <p class="lead">{t(texts::VERIFY_LEAD)}</p>
        <form class="verify-form" on:submit=on_submit>
            <section class="card">
                <h2>{t(texts::VERIFY_EVIDENCE_TITLE)}</h2>
                <label>
                    {t(texts::VERIFY_EVIDENCE_PICK)}
                    <input type="file" name="evidence" accept="application/pdf,.pdf" required />
                </label>
            </section>
            <OriginalFileCheck digest_out=original />
            <button type="submit" class="primary" disabled=move || verify.pending().get()>
                {t(texts::VERIFY_SUBMIT)}
            </button>
        </form>
        {move || verify.value().get().map(|result| match result {
            Ok(report) => view! { <ReportView report /> }.into_any(),
            Err(error) => view! { <ErrorText error /> }.into_any(),
        })}
    }
}

/// A browser `FormData` as an action input (it is only ever used in the browser).
#[derive(Clone)]
struct FormDataArg(
    #[cfg(feature = "hydrate")] web_sys::FormData,
    #[cfg(not(feature = "hydrate"))] (),
);

impl FormDataArg {
    fn into_multipart(self) -> leptos::server_fn::codec::MultipartData {
        #[cfg(feature = "hydrate")]
        {
            self.0.into()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            unreachable!("evidence verification is submitted from the browser only")
        }
    }
}

#[component]
fn ReportView(report: VerificationReport) -> impl IntoView {
    let lang = use_lang();
    let pick = move |fr: &Option<String>, en: &Option<String>| {
        if lang.get() == Lang::Fr {
            fr.clone()
        } else {
            en.clone()
        }
    };
    let (fr, en) = (report.title_fr.clone(), report.title_en.clone());
    let verdict = if report.valid {
        texts::VERIFY_VALID
    } else {
        texts::VERIFY_INVALID
    };
    let row = |label: Tr, value: Option<String>| {
        value.map(|value| view! { <dt>{t(label)}</dt><dd>{value}</dd> })
    };
    let summary = report.clone();
    view! {
        <section class=if report.valid { "card report valid" } else { "card report invalid" } aria-live="polite">
            <h2 class="verdict">{if report.valid { "✔ " } else { "✘ " }}{t(verdict)}</h2>
            <div class="attests">
                {move || {
                    super::verify_words::attests(&summary, lang.get())
                        .into_iter()
                        .map(|sentence| view! { <p>{sentence}</p> })
                        .collect_view()
                }}
            </div>
            <h3>{t(texts::VERIFY_DETAIL)}</h3>
            <dl class="facts">
                {move || pick(&fr, &en).map(|title| view! { <dt>{t(texts::VERIFY_KIND)}</dt><dd class="report-kind">{title}</dd> })}
                {row(texts::VERIFY_ID, report.evidence_id.clone())}
                {report.event_time.clone().map(|at| view! { <dt>{t(texts::VERIFY_EVENT_TIME)}</dt><dd><Time at /></dd> })}
                {report.timestamp_time.clone().map(|at| view! { <dt>{t(texts::VERIFY_TIMESTAMP)}</dt><dd><Time at /></dd> })}
                {row(texts::VERIFY_TSA, report.tsa_subject.clone())}
                {row(texts::VERIFY_SEAL, report.signer_subject.clone())}
                {row(texts::POLICY_OID, report.policy_oid.clone())}
                {row(texts::VERIFY_JOURNAL, report.journal_seq.map(|seq| format!("#{seq}")))}
                {report.timestamp_chain.iter().cloned().map(|(at, tsa)| view! {
                    <dt>{t(texts::VERIFY_DOC_TIMESTAMP)}</dt>
                    <dd class="doc-timestamp"><Time at /> " — " {tsa}</dd>
                }).collect_view()}
                {report.verifiable_until.clone().map(|at| view! {
                    <dt>{t(texts::VERIFY_UNTIL)}</dt>
                    <dd class="verifiable-until"><DayOf at /></dd>
                })}
                {report.journal_seq.and(report.evidence_id.clone()).map(|id| view! {
                    <dt>{t(texts::POLICY_LOG)}</dt>
                    <dd><a class="log-proof" href=format!("/log/inclusion/{id}") rel="external">{t(texts::VERIFY_LOG_PROOF)}</a></dd>
                })}
            </dl>
            {report.original_matches.clone().map(|matches| {
                if matches.is_empty() {
                    view! { <p class="error original-result">{t(texts::VERIFY_ORIGINAL_NO_MATCH)}</p> }.into_any()
                } else {
                    view! { <p class="success original-result">{t(texts::VERIFY_ORIGINAL_MATCH)} " " {matches.join(", ")}</p> }.into_any()
                }
            })}
            <h3>{t(texts::VERIFY_CHECKS)}</h3>
            <ul class="checks">
                {report.checks.into_iter().map(|check| {
                    let (mark, class) = match check.passed {
                        Some(true) => ("✔", "check passed"),
                        Some(false) => ("✘", "check failed"),
                        None => ("–", "check skipped"),
                    };
                    view! {
                        <li class=class>
                            <span class="mark" aria-hidden="true">{mark}</span>
                            <span>{t(check_label(&check.code))}</span>
                            <small class="muted">{check.detail}</small>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!report.digests.is_empty()).then(|| view! {
                <h3>{t(texts::VERIFY_DIGESTS)}</h3>
                <ul class="digests">
                    {report.digests.into_iter().map(|(name, hex)| view! {
                        <li><span>{name}</span> <code>{hex}</code></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// The translated name of a verification check.
fn check_label(code: &str) -> Tr {
    match code {
        "SignatureDictionary" => texts::CHECK_SIGNATURE_DICTIONARY,
        "WholeFileCovered" => texts::CHECK_WHOLE_FILE,
        "CmsStructure" => texts::CHECK_CMS,
        "DocumentUnmodified" => texts::CHECK_UNMODIFIED,
        "SealSignature" => texts::CHECK_SEAL,
        "SigningCertificate" => texts::CHECK_SIGNING_CERTIFICATE,
        "CertificateChain" => texts::CHECK_CHAIN,
        "Timestamp" => texts::CHECK_TIMESTAMP,
        "EvidenceContent" => texts::CHECK_CONTENT,
        "OriginalFile" => texts::CHECK_ORIGINAL,
        _ => texts::CHECK_OTHER,
    }
}

/// Hashes a file chosen by the user, in the browser, and shows its SHA-256.
#[component]
fn OriginalFileCheck(digest_out: RwSignal<Option<String>>) -> impl IntoView {
    let progress = RwSignal::new(None::<Progress>);
    let digest = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| digest_out.set(digest.get().and_then(Result::ok)));
    let file_name = RwSignal::new(String::new());

    let on_change = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = crate::hashing::chosen_file(&event) else {
                return;
            };
            file_name.set(file.name());
            digest.set(None);
            progress.set(Some(Progress {
                done: 0.0,
                total: file.size(),
                seconds: 0.0,
            }));
            leptos::task::spawn_local(async move {
                let result =
                    crate::hashing::sha256_file(&file, move |p| progress.set(Some(p))).await;
                if result.is_ok() {
                    progress.update(|p| {
                        if let Some(p) = p {
                            p.done = p.total;
                        }
                    });
                }
                digest.set(Some(result));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, progress, digest, file_name);
    };

    view! {
        <section class="card">
            <h2>{t(texts::VERIFY_ORIGINAL_TITLE)}</h2>
            <p>{t(texts::VERIFY_ORIGINAL_LEAD)}</p>
            <label>
                {t(texts::VERIFY_ORIGINAL_PICK)}
                <input type="file" name="original" on:change=on_change />
            </label>
            {move || {
                progress
                    .get()
                    .map(|p| {
                        view! {
                            <div class="progress-line">
                                <progress max="100" value=format!("{:.0}", p.percent())></progress>
                                <span class="muted">
                                    {format!("{:.0} % · {:.0} MB/s", p.percent(), p.mb_per_s())}
                                </span>
                            </div>
                        }
                    })
            }}
            {move || match digest.get() {
                Some(Ok(hex)) => {
                    view! {
                        <dl class="facts">
                            <dt>{t(texts::VERIFY_FILE)}</dt>
                            <dd>{file_name.get()}</dd>
                            <dt>"SHA-256"</dt>
                            <dd>
                                <code class="file-sha256">{hex}</code>
                            </dd>
                        </dl>
                    }
                        .into_any()
                }
                Some(Err(error)) => {
                    view! {
                        <p class="error" role="alert">
                            {t(texts::VERIFY_HASH_FAILED)}
                            " "
                            {error}
                        </p>
                    }
                        .into_any()
                }
                None => ().into_any(),
            }}
        </section>
    }
}
