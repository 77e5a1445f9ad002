//! The links between the pages of a letter list (`/sent`, `/inbox`; issue 11): plain links
//! that also work before the WASM arrives, keeping the list's filters.

use leptos::prelude::*;
use leptos_router::components::A;

use super::texts;
use crate::i18n::t;
use crate::letters::PageAt;

/// The page of a list that a URL's query asks for (`older=` or `newer=` a cursor).
pub fn page_at(query: &leptos_router::params::ParamsMap) -> PageAt {
    let cursor = |name| query.get(name).filter(|v: &String| !v.is_empty());
    PageAt {
        older: cursor("older"),
        newer: cursor("newer"),
    }
}

/// `path` with the query `params` (empty values left out), percent-encoded the same way on the
/// server and in the browser (the link is rendered by both).
pub fn link(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// "Newer" and "older" links of a page of `path` (its
/// [`ListPage`](crate::letters::ListPage) cursors), with the list's
/// `filters`.
#[component]
pub fn Pager(
    newer: Option<String>,
    older: Option<String>,
    path: &'static str,
    filters: Vec<(&'static str, String)>,
) -> impl IntoView {
    let href = move |cursor_name: &'static str, cursor: String| {
        let mut params: Vec<(&str, &str)> = filters
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        params.push((cursor_name, &cursor));
        link(path, &params)
    };
    let newer = newer.map(|cursor| href("newer", cursor));
    let older = older.map(|cursor| href("older", cursor));
    (newer.is_some() || older.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label=t(texts::PAGES)>
                {newer.map(|href| view! { <A href=href attr:class="button page-newer" attr:rel="prev">{t(texts::PAGE_NEWER)}</A> })}
                " "
                {older.map(|href| view! { <A href=href attr:class="button page-older" attr:rel="next">{t(texts::PAGE_OLDER)}</A> })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_keep_filters_and_encode_them() {
        assert_eq!(super::link("/sent", &[("status", ""), ("q", "")]), "/sent");
        assert_eq!(
            super::link("/sent", &[("q", "état & co"), ("older", "17_ab-c")]),
            "/sent?q=%C3%A9tat%20%26%20co&older=17_ab-c"
        );
    }
}
