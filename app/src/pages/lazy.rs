//! The pages a visitor does not need on arrival, each loaded on demand (issue 11, first load):
//! in the browser, a lazy route's view is a split point of the WASM module
//! (`#[lazy_route]`, Leptos' code splitting): `scripts/build-site.sh` cuts the module there
//! (wasm-split) and the router fetches the page's chunk when it is first shown, concurrently
//! with its data. On the server the view is called directly. The home page, sign-in, sign-up
//! and the address confirmation stay in the main module.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// Marks the lazy page as on its way, or arrived ([`crate::RouteLoading`]).
fn loading(on_its_way: bool) {
    if let Some(crate::RouteLoading(loading)) = use_context() {
        loading.set(on_its_way);
    }
}

/// `$route`: a lazy route showing the page component `$page` (without props).
macro_rules! lazy_page {
    ($($route:ident => $page:path;)+) => {$(
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                loading(true);
                Self
            }

            fn view(_this: Self) -> AnyView {
                // Effects run once the view is in the page (hydrated, or mounted).
                Effect::new(|_| loading(false));
                untrack($page).into_any()
            }
        }
    )+};
}

lazy_page! {
    Profile => super::profile::ProfilePage;
    BackOffice => super::back_office::BackOfficePage;
    Verifications => super::verifications::VerificationsPage;
    Organisations => super::organisations::OrganisationsPage;
    CustomerSpace => super::customers::CustomerSpacePage;
    Customers => super::customers::CustomersPage;
    Incidents => super::incidents::IncidentsPage;
    IncidentSheet => super::incidents::sheet::IncidentSheetPage;
    SealKeys => super::seal_keys::SealKeysPage;
    Contacts => super::contacts::ContactsPage;
    Consents => super::contacts::ConsentsPage;
    Consent => super::consent::ConsentPage;
    Simulator => super::dev_identity::SimulatorPage;
    Wallet => super::wallet::WalletPage;
    Verify => super::verify::VerifyPage;
    Policy => super::policy::PolicyPage;
    SenderTerms => super::terms::SenderTermsPage;
    RecipientTerms => super::terms::RecipientTermsPage;
    Mailbox => super::dev_mailbox::MailboxPage;
    Mail => super::dev_mailbox::MailPage;
    Clock => super::dev_clock::ClockPage;
    ComposeNew => super::letters::compose::ComposeNewPage;
    Compose => super::letters::compose::ComposePage;
    Sent => super::letters::sent::SentPage;
    SentLetter => super::letters::sent::SentLetterPage;
    Inbox => super::letters::inbox::InboxPage;
    Reception => super::letters::reception::ReceptionPage;
    Evidence => super::dev_evidence::EvidencePage;
    ForgotPassword => super::password::ForgotPasswordPage;
    ResetPassword => super::password::ResetPasswordPage;
    Accessibility => super::accessibility::AccessibilityPage;
}
