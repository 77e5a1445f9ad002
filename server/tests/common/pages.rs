//! Pages as a browser without JavaScript sees them: a form it posts itself (it asks for
//! `text/html`, names its page in `Referer`) and the page the server sends it back to, and a
//! page in English.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, LOCATION, REFERER};

use super::TestApp;
use super::flows::origin;

/// What a browser sends when it submits a form of `page` to server function `function` itself,
/// with the cookies of `client`.
pub async fn plain_post(
    app: &TestApp,
    client: &reqwest::Client,
    function: &str,
    page: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(format!("{}/api/{function}", app.url))
        .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("origin", origin(app))
        .header(REFERER, format!("{}{page}", app.url))
        .form(form)
        .send()
        .await
        .expect("POST")
}

/// Where a redirect leads.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_owned()
}

/// The page at `url` (absolute, or a path of the app), as `client` gets it: 200 and its HTML.
pub async fn page_at(app: &TestApp, client: &reqwest::Client, url: &str) -> String {
    let url = if url.starts_with('/') {
        format!("{}{url}", app.url)
    } else {
        url.to_owned()
    };
    let response = client.get(&url).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.text().await.expect("page")
}

/// The page at `path` in English (the language cookie the switch sets).
pub async fn english(app: &TestApp, path: &str) -> String {
    app.client
        .get(format!("{}{path}", app.url))
        .header("cookie", "pli_lang=en")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body")
}
