//! A form's error tied to the fields it is about (issue 11, accessibility; WCAG 2.1 SC 3.3.1
//! and 4.1.2, RGAA 11.10): while a field's value is the one refused, the field carries
//! `aria-invalid="true"` and `aria-describedby` naming the message; both go once the value is
//! fixed (it passes the shared rule that refused it, or, for a refusal no rule in the page can
//! check — a wrong password, a wrong code —, once it changed).
//!
//! The error comes from a signal (usually a server action's last result, which a form posted
//! without JavaScript also fills from `__err`), so the server renders the same attributes as
//! the browser.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_lang;
use crate::validation::{self, Invalid};

/// The error a form shows and the fields it concerns; `Copy`, to be handed to fields.
#[derive(Clone, Copy)]
pub struct FormError {
    /// The id of the element that shows the message (unique in the page).
    id: &'static str,
    error: Signal<Option<AppError>>,
    /// The fields fixed since the error arrived.
    fixed: RwSignal<Vec<&'static str>>,
    /// Where [`FormError::report`] puts the error, for a form whose error comes from a child.
    reported: Option<RwSignal<Option<AppError>>>,
}

impl FormError {
    /// The error of `error`, shown in an element of id `id`.
    pub fn new(
        id: &'static str,
        error: impl Fn() -> Option<AppError> + Send + Sync + 'static,
    ) -> FormError {
        let error = Signal::derive(error);
        let fixed = RwSignal::new(Vec::new());
        // A new error: every field it names is to fix again.
        Effect::new(move |_| {
            error.track();
            fixed.update(Vec::clear);
        });
        FormError {
            id,
            error,
            fixed,
            reported: None,
        }
    }

    /// An error that the part of the form that fails reports ([`FormError::report`]), shown
    /// by that part in an element of id `id`.
    pub fn reported(id: &'static str) -> FormError {
        let reported = RwSignal::new(None);
        FormError {
            reported: Some(reported),
            ..FormError::new(id, move || reported.get())
        }
    }

    /// Reports the error of a [`FormError::reported`] (none: the last attempt succeeded).
    pub fn report(self, error: Option<AppError>) {
        if let Some(reported) = self.reported {
            reported.set(error);
        }
    }

    /// The error of the last run of a server action.
    pub fn of<S>(id: &'static str, action: ServerAction<S>) -> FormError
    where
        S: leptos::server_fn::ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
        S::Output: Send + Sync + Clone + 'static,
    {
        FormError::new(id, move || action.value().get().and_then(Result::err))
    }

    /// The error, while it is not fixed.
    fn current(self) -> Option<AppError> {
        let error = self.error.get()?;
        let fields = fields(&error);
        let fixed = self.fixed.read();
        if !fields.is_empty() && fields.iter().all(|f| fixed.contains(f)) {
            None
        } else {
            Some(error)
        }
    }

    /// Whether field `name` holds the refused value.
    fn invalid(self, name: &'static str) -> bool {
        self.error
            .with(|error| error.as_ref().is_some_and(|e| fields(e).contains(&name)))
            && !self.fixed.read().contains(&name)
    }

    /// The id of the message element.
    pub fn id(self) -> &'static str {
        self.id
    }

    /// The message, where the form shows it (nothing without an error, or once fixed).
    pub fn message(self) -> impl IntoView {
        let lang = use_lang();
        move || {
            self.current().map(|error| {
                view! {
                    <p class="error" role="alert" id=self.id>
                        {move || error.message(lang.get())}
                    </p>
                }
            })
        }
    }

    /// The attributes of field `name` (its `name` in the form): `aria-invalid` and
    /// `aria-describedby` while it holds the refused value, and the listener that notices the
    /// fix. Spread onto the input: `<input name="email" {..form.field("email")} />`.
    pub fn field(self, name: &'static str) -> impl leptos::attr::Attribute {
        let on_input = move |event: leptos::ev::Event| {
            if !self.invalid(name) {
                return;
            }
            let value = event_target_value(&event);
            let checked = event_target_checked(&event);
            let is_fixed = self
                .error
                .with_untracked(|e| e.as_ref().is_some_and(|e| fixes(e, &value, checked)));
            if is_fixed {
                self.fixed.update(|fixed| fixed.push(name));
            }
        };
        view! {
            <{..}
                aria-invalid=move || self.invalid(name).then_some("true")
                aria-describedby=move || self.invalid(name).then_some(self.id)
                on:input=on_input
            />
        }
    }
}

/// The fields (their `name` in our forms, that of the server function's argument) that
/// `error` is about.
fn fields(error: &AppError) -> &'static [&'static str] {
    match error {
        AppError::Invalid(Invalid::Email | Invalid::ContactExists) => &["email"],
        AppError::Invalid(Invalid::Name) => &["name"],
        AppError::Invalid(Invalid::Password) => &["password"],
        AppError::Invalid(Invalid::Terms) => &["accept_terms"],
        AppError::Invalid(Invalid::Code) | AppError::BadCode => &["code"],
        AppError::Invalid(Invalid::Subject) => &["subject"],
        AppError::Invalid(Invalid::Message) => &["message"],
        AppError::Invalid(Invalid::CompanyName) => &["company_name"],
        AppError::Invalid(Invalid::RegistryNumber) => &["number", "company_number"],
        AppError::BadCredentials => &["email", "password"],
        AppError::WrongPassword => &["current_password"],
        _ => &[],
    }
}

/// Whether a field's new value (`checked` for a box) fixes `error`: it passes the shared rule
/// that refused it, or it changed where no rule in the page can tell.
fn fixes(error: &AppError, value: &str, checked: bool) -> bool {
    match error {
        AppError::Invalid(Invalid::Email) => validation::email(value).is_ok(),
        AppError::Invalid(Invalid::Name) => validation::name(value).is_ok(),
        AppError::Invalid(Invalid::Password) => validation::new_password(value).is_ok(),
        AppError::Invalid(Invalid::Terms) => checked,
        AppError::Invalid(Invalid::Code) => validation::code(value).is_ok(),
        AppError::Invalid(Invalid::Subject) => validation::subject(value).is_ok(),
        AppError::Invalid(Invalid::Message) => validation::message(value).is_ok(),
        AppError::Invalid(Invalid::CompanyName) => validation::company_name(value).is_ok(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_fields_and_rules_tell_the_fix() {
        assert_eq!(fields(&AppError::BadCredentials), ["email", "password"]);
        assert_eq!(fields(&Invalid::Email.into()), ["email"]);
        assert!(fields(&AppError::NotFound).is_empty());
        let email: AppError = Invalid::Email.into();
        assert!(!fixes(&email, "alice@", false));
        assert!(fixes(&email, "alice@example.org", false));
        assert!(!fixes(&Invalid::Terms.into(), "on", false));
        assert!(fixes(&Invalid::Terms.into(), "on", true));
        assert!(fixes(&AppError::BadCode, "1", false));
    }
}
