//! The public verification page (EVD-06): anyone can check an original file against the hash
//! an evidence records. The file is hashed in the browser (WASM, in a Web Worker): it never
//! leaves the user's machine.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::hashing::Progress;
use crate::i18n::t;
use crate::texts;

#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <Title text=t(texts::NAV_VERIFY) />
        <h1>{t(texts::NAV_VERIFY)}</h1>
        <p class="lead">{t(texts::VERIFY_LEAD)}</p>
        <section class="card">
            <h2>{t(texts::VERIFY_EVIDENCE_TITLE)}</h2>
            <p class="notice">{t(texts::SOON)}</p>
        </section>
        <OriginalFileCheck />
    }
}

/// Hashes a file chosen by the user, in the browser, and shows its SHA-256.
#[component]
fn OriginalFileCheck() -> impl IntoView {
    let progress = RwSignal::new(None::<Progress>);
    let digest = RwSignal::new(None::<Result<String, String>>);
    let file_name = RwSignal::new(String::new());

    let on_change = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(file) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
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
