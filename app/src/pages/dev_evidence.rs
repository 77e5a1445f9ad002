//! Development: every evidence the service issued, downloadable, so that a newcomer can check
//! them with pyHanko, pdfsig or the /verify page; and a button to seal a journal checkpoint.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ErrorText;
use crate::api::{DevCheckpointNow, dev_evidence_list};
use crate::i18n::{Lang, t, use_lang};
use crate::texts;

#[component]
pub fn EvidencePage() -> impl IntoView {
    let lang = use_lang();
    let checkpoint = ServerAction::<DevCheckpointNow>::new();
    let list = Resource::new(move || checkpoint.version().get(), |_| dev_evidence_list());
    view! {
        <Title text=t(texts::EVIDENCE_TITLE) />
        <h1>{t(texts::EVIDENCE_TITLE)}</h1>
        <p class="lead">{t(texts::EVIDENCE_LEAD)}</p>
        <ActionForm action=checkpoint attr:class="inline-form">
            <button type="submit">{t(texts::EVIDENCE_CHECKPOINT)}</button>
        </ActionForm>
        {move || match checkpoint.value().get() {
            Some(Ok(Some(_))) => view! { <p class="success" role="status">{t(texts::EVIDENCE_CHECKPOINT_DONE)}</p> }.into_any(),
            Some(Ok(None)) => view! { <p role="status">{t(texts::EVIDENCE_CHECKPOINT_NONE)}</p> }.into_any(),
            Some(Err(error)) => view! { <ErrorText error /> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p>{t(texts::EVIDENCE_EMPTY)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="mail-list evidence-list">
                            {items.into_iter().map(|e| {
                                let title = if lang.get() == Lang::Fr { e.title_fr.clone() } else { e.title_en.clone() };
                                view! {
                                    <li>
                                        <a href=format!("/dev/evidence/{}.pdf", e.id) download rel="external">
                                            <span class="mail-subject">{format!("#{} · {title}", e.seq)}</span>
                                            <span class="mail-meta">{e.created_at} " · " {e.id.clone()}</span>
                                            <code class="mail-meta">"SHA-256 " {e.sha256}</code>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorText error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
