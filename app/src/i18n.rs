//! Interface languages. French is the default; English is available through the language
//! switch, which stores the choice in the `pli_lang` cookie so that the server renders the
//! next page in the same language (and hydration sees the same text).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Name of the cookie that keeps the chosen language for a year.
pub const LANG_COOKIE: &str = "pli_lang";

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// BCP 47 code, used in `<html lang>` and in the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Parses a cookie or header value; anything unknown is French.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    /// Finds the language cookie in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == LANG_COOKIE)
            .map(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }

    /// The other language, offered by the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }
}

/// A text in both languages. Constants of this type live in [`texts`].
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub &'static str, pub &'static str);

impl Tr {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.0,
            Lang::En => self.1,
        }
    }
}

/// The current language signal, provided once by [`crate::App`].
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// A reactive text in the current language, for use in `view!`.
pub fn t(text: Tr) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(use_lang(), text)
}

/// [`t`] with the language signal already at hand: a list's rows look the signal up once per
/// row rather than once per text (each look-up walks the reactive owners up to the app's
/// root; on a page of fifty transactions that was a tenth of the rendering, issue 11).
///
/// On the server the language is the request's and never changes while a page renders: the
/// text is chosen when it is created. Reading the signal later was not only slower — the
/// document's `<title>` is read after the page's reactive arena is gone (leptos_axum's
/// fallback renders the head outside it), where a signal read panics now and then. In the
/// browser the text follows the language switch.
pub fn tr(
    lang: RwSignal<Lang>,
    text: Tr,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    #[cfg(feature = "ssr")]
    {
        let lang = lang.get_untracked();
        move || text.get(lang)
    }
    #[cfg(not(feature = "ssr"))]
    {
        move || text.get(lang.get())
    }
}

/// The language of the request being rendered (server) or of the page (browser).
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|value| value.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .map(|c| Lang::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// Stores the language choice in the browser for the next server render.
pub fn remember_lang(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let cookie = format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            );
            // Setting a cookie can only fail in a sandboxed document; the switch still works
            // for this page, only the next full load falls back to French.
            let _ = doc.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_header_parsing() {
        assert_eq!(Lang::from_cookie_header("a=b; pli_lang=en; c=d"), Lang::En);
        assert_eq!(Lang::from_cookie_header("pli_lang=fr"), Lang::Fr);
        assert_eq!(Lang::from_cookie_header("pli_lang=xx"), Lang::Fr);
        assert_eq!(Lang::from_cookie_header(""), Lang::Fr);
    }
}
