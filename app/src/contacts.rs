//! Contacts and consent (issue 5: CONS-01..CONS-05): the types the pages show, the server-side
//! port [`ContactServices`] (implemented by `server::contacts`), and the server functions.

/// The server-side port of contacts and consents, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ContactServices: Send + Sync + 'static {}

/// The [`ContactServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ContactServicesHandle(pub std::sync::Arc<dyn ContactServices>);
