//! The sender's contacts (CONS-01, CONS-05) with the consent status of each and the button
//! that asks for it (CONS-02), and the consents a signed-in user granted, which they may
//! withdraw (CONS-03).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::contacts::{
    ConsentRequest, ConsentWithdraw, Contact, ContactSave, GrantedConsent, fetch_consents_granted,
    fetch_contacts,
};
use crate::error::AppError;
use crate::i18n::{Tr, t};
use crate::lifecycle::ConsentStatus;
use crate::pages::form_error::FormError;
use crate::pages::organisations::RegistrySelect;
use crate::texts::contacts as tx;
use crate::when::DayOf;
use crate::{ErrorText, SignInNotice, action_error, form_done, texts};

/// The day of an RFC 3339 UTC time (YYYY-MM-DD).
/// What a page shows when the caller is not signed in, or another error.
pub(crate) fn load_error(error: AppError) -> AnyView {
    match error {
        AppError::SignInRequired | AppError::SessionExpired => {
            view! { <SignInNotice /> }.into_any()
        }
        // Policy §6, §13.7: an account enrols its second factor before anything else.
        AppError::SecondFactorSetupRequired => view! {
            <ErrorText error />
            <A href="/profile" attr:class="button">{t(texts::NAV_PROFILE)}</A>
        }
        .into_any(),
        error => view! { <ErrorText error /> }.into_any(),
    }
}

/// A loaded list: `empty`'s text (in a paragraph of its class) when there is nothing, else
/// the list of `class` with an item each; or the error.
fn loaded_list<T, V: IntoView + 'static>(
    loaded: Result<Vec<T>, AppError>,
    (empty_class, empty): (&'static str, Tr),
    class: &'static str,
    item: impl Fn(T) -> V,
) -> AnyView {
    match loaded {
        Ok(list) if list.is_empty() => view! { <p class=empty_class>{t(empty)}</p> }.into_any(),
        Ok(list) => {
            view! { <ul class=class>{list.into_iter().map(item).collect_view()}</ul> }.into_any()
        }
        Err(error) => load_error(error),
    }
}

/// The contact form's fields, kept in signals: an edit loads a contact into them, a successful
/// save empties them, a failed one keeps what was typed.
#[derive(Clone, Copy)]
struct Editor {
    /// Empty for a new contact.
    id: RwSignal<String>,
    name: RwSignal<String>,
    email: RwSignal<String>,
    professional: RwSignal<bool>,
    company: RwSignal<String>,
    /// The company's registry code and number (policy §6.4), optional.
    registry: RwSignal<String>,
    number: RwSignal<String>,
}

impl Editor {
    fn new() -> Editor {
        Editor {
            id: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            professional: RwSignal::new(false),
            company: RwSignal::new(String::new()),
            registry: RwSignal::new(String::new()),
            number: RwSignal::new(String::new()),
        }
    }

    fn load(&self, contact: &Contact) {
        self.id.set(contact.id.clone());
        self.name.set(contact.name.clone());
        self.email.set(contact.email.clone());
        self.professional.set(contact.professional);
        self.company
            .set(contact.company_name.clone().unwrap_or_default());
        self.registry
            .set(contact.company_registry.clone().unwrap_or_default());
        self.number
            .set(contact.company_number.clone().unwrap_or_default());
        // The form is above the list: bring it into view (on a phone it is off screen).
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    fn clear(&self) {
        self.id.set(String::new());
        self.name.set(String::new());
        self.email.set(String::new());
        self.professional.set(false);
        self.company.set(String::new());
        self.registry.set(String::new());
        self.number.set(String::new());
    }

    fn editing(&self) -> bool {
        !self.id.get().is_empty()
    }
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    let save = ServerAction::<ContactSave>::new();
    let request = ServerAction::<ConsentRequest>::new();
    let contacts = Resource::new(
        move || (save.version().get(), request.version().get()),
        |_| fetch_contacts(),
    );
    let editor = Editor::new();
    let requested = form_done::<ConsentRequest>();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            editor.clear();
        }
    });
    view! {
        <Title text=t(tx::CONTACTS_TITLE) />
        <h1>{t(tx::CONTACTS_TITLE)}</h1>
        <p class="lead">{t(tx::CONTACTS_LEAD)}</p>
        <p>
            <A href="/consents">{t(tx::CONSENTS_LINK)}</A>
        </p>
        <ContactEditor save editor />
        {move || match request.value().get() {
            Some(Ok(contact)) if contact.consent == Some(ConsentStatus::Requested) => {
                Some(view! { <p class="success" role="status">{t(tx::CONSENT_ASKED)}</p> }.into_any())
            }
            // Asked by a form posted without JavaScript.
            None if requested() => {
                Some(view! { <p class="success" role="status">{t(tx::CONSENT_ASKED)}</p> }.into_any())
            }
            Some(Err(error)) => Some(view! { <ErrorText error /> }.into_any()),
            _ => None,
        }}
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                loaded_list(
                    contacts.await,
                    ("contacts-empty", tx::CONTACTS_EMPTY),
                    "contact-list",
                    move |contact| view! { <ContactItem contact editor request /> },
                )
            })}
        </Transition>
    }
}

/// The form that creates a contact, or edits the one loaded in `editor`.
#[component]
fn ContactEditor(save: ServerAction<ContactSave>, editor: Editor) -> impl IntoView {
    let title = move || {
        if editor.editing() {
            tx::CONTACT_EDIT
        } else {
            tx::CONTACT_NEW
        }
    };
    let lang = crate::i18n::use_lang();
    // Saved here, or by a form posted without JavaScript (the server sent the browser back).
    let posted = form_done::<ContactSave>();
    let saved = move || posted() || matches!(save.value().get(), Some(Ok(_)));
    let error = FormError::of("contact-error", save);
    view! {
        <section class="card contact-editor">
            <h2>{move || title().get(lang.get())}</h2>
            <ActionForm action=save attr:class="stack-form contact-form">
                <input type="hidden" name="id" prop:value=move || editor.id.get() />
                <label>
                    {t(tx::FIELD_CONTACT_NAME)}
                    <input
                        type="text"
                        name="name"
                        {..error.field("name")}
                        required
                        autocomplete="off"
                        bind:value=editor.name
                    />
                </label>
                <label>
                    {t(tx::FIELD_CONTACT_EMAIL)}
                    <input
                        type="email"
                        name="email"
                        {..error.field("email")}
                        required
                        autocomplete="off"
                        bind:value=editor.email
                    />
                    <Show when=move || editor.editing()>
                        <span class="hint">{t(tx::CONTACT_EMAIL_HINT)}</span>
                    </Show>
                </label>
                <label class="check">
                    <input type="checkbox" name="professional" bind:checked=editor.professional />
                    <span>{t(tx::FIELD_PROFESSIONAL)}</span>
                </label>
                // Shown by the style sheet while the box above is ticked, so that it appears
                // without JavaScript too; the server asks for it for a professional.
                <label class="company-field">
                    {t(tx::FIELD_COMPANY)}
                    <input
                        type="text"
                        name="company_name"
                        {..error.field("company_name")}
                        required=move || editor.professional.get()
                        autocomplete="organization"
                        bind:value=editor.company
                    />
                </label>
                <RegistrySelect name="company_registry" class="company-field" value=editor.registry />
                <label class="company-field">
                    {t(tx::FIELD_COMPANY_NUMBER)}
                    <input
                        type="text"
                        name="company_number"
                        {..error.field("company_number")}
                        autocomplete="off"
                        bind:value=editor.number
                    />
                </label>
                <p class="hint company-field">{t(tx::COMPANY_NUMBER_HINT)}</p>
                <div class="actions">
                    <button type="submit">{t(tx::CONTACT_SAVE)}</button>
                    <Show when=move || editor.editing()>
                        <button type="button" on:click=move |_| editor.clear()>
                            {t(tx::CONTACT_CANCEL)}
                        </button>
                    </Show>
                </div>
                {error.message()}
                {move || saved().then(|| view! { <p class="success" role="status">{t(tx::CONTACT_SAVED)}</p> })}
            </ActionForm>
        </section>
    }
}

/// One contact: who, the consent that counts for its address, and what the sender may do.
#[component]
fn ContactItem(
    contact: Contact,
    editor: Editor,
    request: ServerAction<ConsentRequest>,
) -> impl IntoView {
    let code = tx::consent_code(contact.consent, contact.professional);
    let label = match (contact.professional, contact.consent) {
        (true, _) => tx::CONSENT_NOT_NEEDED,
        (false, None) => tx::CONSENT_NONE,
        (false, Some(status)) => tx::consent_status(status),
    };
    let ask = contact
        .may_request_consent()
        .then_some(if contact.consent.is_none() {
            tx::CONSENT_ASK
        } else {
            tx::CONSENT_ASK_AGAIN
        });
    let until = contact.consent_expires_at.clone();
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let for_edit = contact.clone();
    let id = contact.id.clone();
    view! {
        <li class="contact card" data-email=contact.email.clone()>
            <div class="contact-who">
                <span class="contact-name">{contact.name.clone()}</span>
                <span class="contact-email">{contact.email.clone()}</span>
                {contact.company_name.clone().map(|company| view! { <span class="contact-company">{company}</span> })}
                {contact.company_rcs().map(|rcs| view! { <span class="contact-rcs">{rcs}</span> })}
            </div>
            <p class=format!("consent-status consent-{code}") data-consent=code>
                {t(label)}
                {until.map(|at| view! { " (" {t(tx::CONSENT_UNTIL)} " " <DayOf at /> ")" })}
            </p>
            <div class="actions">
                // Editing loads the contact into the form in the browser: the button appears
                // once the client runs (without JavaScript there is none to press in vain).
                <Show when=move || live.get()>
                    <button type="button" class="contact-edit" on:click={
                        let for_edit = for_edit.clone();
                        move |_| editor.load(&for_edit)
                    }>
                        {t(tx::CONTACT_EDIT_BUTTON)}
                    </button>
                </Show>
                {ask
                    .map(|label| {
                        view! {
                            <ActionForm action=request attr:class="inline">
                                <input type="hidden" name="contact_id" value=id.clone() />
                                <button type="submit" class="consent-ask">{t(label)}</button>
                            </ActionForm>
                        }
                    })}
            </div>
        </li>
    }
}

/// CONS-03: the consents granted from the signed-in user's address, each with a button that
/// withdraws it.
#[component]
pub fn ConsentsPage() -> impl IntoView {
    let withdraw = ServerAction::<ConsentWithdraw>::new();
    let withdrawn = form_done::<ConsentWithdraw>();
    let consents = Resource::new(
        move || withdraw.version().get(),
        |_| fetch_consents_granted(),
    );
    view! {
        <Title text=t(tx::CONSENTS_TITLE) />
        <h1>{t(tx::CONSENTS_TITLE)}</h1>
        <p class="lead">{t(tx::CONSENTS_LEAD)}</p>
        {action_error(move || withdraw.value().get())}
        {move || {
            (withdrawn() || matches!(withdraw.value().get(), Some(Ok(_))))
                .then(|| view! { <p class="success" role="status">{t(tx::CONSENT_WITHDRAWN)}</p> })
        }}
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                loaded_list(
                    consents.await,
                    ("consents-empty", tx::CONSENTS_EMPTY),
                    "consent-list",
                    move |consent| view! { <GrantedItem consent withdraw /> },
                )
            })}
        </Transition>
    }
}

#[component]
fn GrantedItem(consent: GrantedConsent, withdraw: ServerAction<ConsentWithdraw>) -> impl IntoView {
    view! {
        <li class="granted-consent card">
            <div class="contact-who">
                <span class="contact-name">{consent.sender_name}</span>
                <span class="contact-email">{consent.sender_email}</span>
                <span class="muted">
                    {consent.recipient_email} " · " {t(tx::CONSENTS_GRANTED_ON)} " "
                    <DayOf at=consent.granted_at />
                </span>
            </div>
            <ActionForm action=withdraw attr:class="inline">
                <input type="hidden" name="consent_id" value=consent.id />
                <button type="submit" class="danger">{t(tx::CONSENT_REVOKE)}</button>
            </ActionForm>
        </li>
    }
}
